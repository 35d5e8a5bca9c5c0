package refine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gobragg/graph"
)

// BackgroundModel says how a fit models the counts under its spots that
// are not Bragg intensity.
type BackgroundModel int

const (
	// FrameBackground is one constant per frame (counts per pixel), the
	// graph's background parameter.
	FrameBackground BackgroundModel = iota
	// ShoeboxBackground is one constant per shoebox of Problem.Shoeboxes,
	// shared by the frames its box spans: a real detector's background
	// varies across the frame (air and solvent scatter fall with angle,
	// the sensor's response with incidence), which one constant per frame
	// fits by raising the wings of some spots and lowering others.
	ShoeboxBackground
)

// ParseBackgroundModel reads a background model: frame or shoebox.
func ParseBackgroundModel(s string) (BackgroundModel, error) {
	switch s {
	case "frame":
		return FrameBackground, nil
	case "shoebox":
		return ShoeboxBackground, nil
	}
	return 0, fmt.Errorf("%q is not frame or shoebox", s)
}

func (b BackgroundModel) String() string {
	if b == ShoeboxBackground {
		return "shoebox"
	}
	return "frame"
}

// FittedBackground is one shoebox's refined background, counts per pixel.
type FittedBackground struct {
	HKL          [3]int
	Start, Value float64
	// Sigma is the standard error from the inverse Fisher information (NaN:
	// undetermined, or AtZero).
	Sigma float64
	// AtZero is set when the background ended at its bound 0 (within a
	// hundredth of its standard error): the box's counts leave no room
	// for one beside the spot.
	AtZero bool
}

// bState is what a fitter knows about per-shoebox backgrounds.
type bState struct {
	first int       // index of the first box parameter
	boxes []Shoebox // Problem.Shoeboxes
	// of holds per frame, per fitted pixel, the box whose background it
	// carries (index into boxes).
	of [][]int32
}

// boxIndex returns the shoebox of parameter j, or -1.
func (f *fitter) boxIndex(j int) int {
	if f.bs == nil || j < f.bs.first || j >= f.bs.first+len(f.bs.boxes) {
		return -1
	}
	return j - f.bs.first
}

// graphParam reports whether parameter j is one of the graph's theta (not
// a structure factor or a shoebox's background).
func (f *fitter) graphParam(j int) bool { return f.fIndex(j) < 0 && f.boxIndex(j) < 0 }

// addShoeboxBackgrounds makes the background of every shoebox a parameter
// starting at start (counts per pixel), and maps each frame's fitted
// pixels to the box they lie in (the one whose centre is nearest where
// boxes overlap). The models must be compiled, with the graph's own
// background at 0. A fitted pixel in no box of its frame is refused.
func (f *fitter) addShoeboxBackgrounds(start float64, info paramInfo) error {
	boxes := f.p.Shoeboxes
	if len(boxes) == 0 {
		return badf("a background per shoebox needs the shoeboxes (-select dials:FILE.refl)")
	}
	bs := &bState{first: len(f.names), boxes: boxes}
	for k, m := range f.models {
		s := m.Exp.Setup
		if s.Panels != nil {
			return badf("a background per shoebox models one panel; frame %d has %d", k+1, len(s.Panels))
		}
		of := pixelBoxes(boxes, k, f.lists[k], s.FPixels)
		for i, b := range of {
			if b < 0 {
				d := f.lists[k][i]
				return badf("frame %d: fitted pixel (slow %d, fast %d) lies in no shoebox, so no shoebox background covers it", k+1, d/s.FPixels, d%s.FPixels)
			}
		}
		bs.of = append(bs.of, of)
	}
	for _, box := range boxes {
		f.names = append(f.names, fmt.Sprintf("%s(%d,%d,%d)", graph.PBackground, box.HKL[0], box.HKL[1], box.HKL[2]))
		in := info
		in.frame = -1
		if f.poisson() {
			// A box of no counts puts its background at 0, not below:
			// a positive map keeps the loss finite on the way there,
			// and a start at 0 is floored instead (see bound.go).
			in.Lower = 0
			if start == 0 {
				f.markFloor(len(f.names) - 1)
			}
		}
		f.infos = append(f.infos, in)
		f.starts = append(f.starts, start)
	}
	f.bs = bs
	return nil
}

// setBoxBackgrounds writes the shoebox backgrounds of values into every
// model's per-pixel background.
func (f *fitter) setBoxBackgrounds(v []float64) error {
	for k, l := range f.losses {
		px := make([]float64, len(f.bs.of[k]))
		for i, b := range f.bs.of[k] {
			px[i] = v[f.bs.first+int(b)]
		}
		if err := l.SetBackground(px); err != nil {
			return err
		}
	}
	return nil
}

// boxGradient adds d loss / d box background, the sum of d loss / d
// background over the box's pixels, of frame k's model to g.
func (f *fitter) boxGradient(k int, g []float64) error {
	if f.bs == nil {
		return nil
	}
	gb, err := f.losses[k].GradientBackground()
	if err != nil {
		return err
	}
	for i, b := range f.bs.of[k] {
		g[f.bs.first+int(b)] += gb[i]
	}
	return nil
}

// splitBoxes moves the shoebox backgrounds out of a result's parameter
// list into Result.Shoeboxes, keeping the correlation matrix and the
// undetermined list to the parameters before them. Run it after splitF.
func (f *fitter) splitBoxes(out *Result) {
	if f.bs == nil {
		return
	}
	first := f.bs.first
	for i, p := range out.Parameters[first:] {
		fit := FittedBackground{HKL: f.bs.boxes[i].HKL, Start: p.Start, Value: p.Value, Sigma: p.Sigma}
		if p.AtZero || (!f.floored(first+i) && f.atZero(first+i, p)) {
			fit.AtZero, fit.Sigma = true, math.NaN()
		}
		out.Shoeboxes = append(out.Shoeboxes, fit)
	}
	out.keepFirst(first, isBoxName)
}

// isBoxName reports whether an undetermined entry names one shoebox's
// background alone.
func isBoxName(u string) bool {
	return strings.HasPrefix(u, graph.PBackground+"(") && !strings.Contains(u, "+")
}

// BackgroundSummary describes a fit's shoebox backgrounds (counts per
// pixel).
type BackgroundSummary struct {
	Count, AtZero    int
	Median, Min, Max float64
}

// BackgroundSummary summarises r.Shoeboxes.
func (r *Result) BackgroundSummary() BackgroundSummary {
	s := BackgroundSummary{Count: len(r.Shoeboxes)}
	if s.Count == 0 {
		return s
	}
	v := make([]float64, 0, s.Count)
	for _, b := range r.Shoeboxes {
		v = append(v, b.Value)
		if b.AtZero {
			s.AtZero++
		}
	}
	sort.Float64s(v)
	s.Median, s.Min, s.Max = v[len(v)/2], v[0], v[len(v)-1]
	if len(v)%2 == 0 {
		s.Median = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return s
}
