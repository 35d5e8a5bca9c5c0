package refine

import (
	"math"
	"sort"
)

// BoxFit is one shoebox's goodness of fit: the data against the fitted
// model over the box's pixels on every frame it spans. A fit's overall
// statistic is the sum of its boxes'; the boxes say where the model fits
// and where it does not.
type BoxFit struct {
	HKL [3]int
	// Row is the reflection's row in the DIALS table (-1: none).
	Row int
	// Counts and Model are the observed and expected counts summed over
	// the box's fitted pixels.
	Counts, Model float64
	Fit           GoodnessOfFit
}

// pixelBoxes returns, for each detector pixel of list (fast-major indices
// on a detector fpixels wide) of frame k, the box of boxes it lies in: the
// one whose centre is nearest where boxes overlap, -1 where there is none.
func pixelBoxes(boxes []Shoebox, k int, list []int, fpixels int) []int32 {
	var mine []int // the boxes on frame k
	for b, box := range boxes {
		for _, fk := range box.Frames {
			if fk == k {
				mine = append(mine, b)
			}
		}
	}
	of := make([]int32, len(list))
	for i, d := range list {
		x, y := d%fpixels, d/fpixels
		best, bestD := -1, math.Inf(1)
		for _, b := range mine {
			box := boxes[b]
			if x < box.X0 || x >= box.X1 || y < box.Y0 || y >= box.Y1 {
				continue
			}
			dx := float64(2*x+1-box.X0-box.X1) / 2
			dy := float64(2*y+1-box.Y0-box.Y1) / 2
			if d2 := dx*dx + dy*dy; d2 < bestD {
				best, bestD = b, d2
			}
		}
		of[i] = int32(best)
	}
	return of
}

// boxFits is the goodness of fit of every shoebox of the problem, given
// every frame's expected counts mu on its fitted pixels (nil without
// shoeboxes or with several panels).
func (f *fitter) boxFits(mu [][]float64) []BoxFit {
	boxes := f.p.Shoeboxes
	if len(boxes) == 0 {
		return nil
	}
	y := make([][][]float64, len(boxes))     // per box, per frame
	boxMu := make([][][]float64, len(boxes)) // likewise
	for b := range boxes {
		y[b] = make([][]float64, len(f.models))
		boxMu[b] = make([][]float64, len(f.models))
	}
	for k, m := range f.models {
		s := m.Exp.Setup
		if s.Panels != nil {
			return nil
		}
		var of []int32
		if f.bs != nil {
			of = f.bs.of[k]
		} else {
			of = pixelBoxes(boxes, k, f.lists[k], s.FPixels)
		}
		for i, b := range of {
			if b >= 0 {
				y[b][k] = append(y[b][k], f.data[k][i])
				boxMu[b][k] = append(boxMu[b][k], mu[k][i])
			}
		}
	}
	out := make([]BoxFit, len(boxes))
	for b, box := range boxes {
		out[b] = BoxFit{HKL: box.HKL, Row: box.Row, Fit: goodness(f.likelihood(), y[b], boxMu[b])}
		for k := range y[b] {
			for i := range y[b][k] {
				out[b].Counts += y[b][k][i]
				out[b].Model += boxMu[b][k][i]
			}
		}
	}
	return out
}

// boxFitWorst is how many of the worst-fitting boxes a result's table names.
const boxFitWorst = 3

// BoxFitSummary says where a fit's model fits: how many shoeboxes (and
// their pixels) have a statistic within Sigmas standard deviations of its
// expectation, their statistic per pixel against its expectation, and the
// boxes that fit worst.
type BoxFitSummary struct {
	Sigmas                  float64
	Boxes, Fitting          int
	Pixels, FittingPixels   int
	PerPixel, ExpectedPerPx float64 // over the fitting boxes
	Worst                   []BoxFit
}

// BoxFitSummary summarises r.BoxFits with the bound sigmas, listing the
// worst n boxes by Z.
func (r *Result) BoxFitSummary(sigmas float64, n int) BoxFitSummary {
	s := BoxFitSummary{Sigmas: sigmas, Boxes: len(r.BoxFits)}
	var value, expected float64
	for _, b := range r.BoxFits {
		s.Pixels += b.Fit.Pixels
		if b.Fit.Z <= sigmas {
			s.Fitting++
			s.FittingPixels += b.Fit.Pixels
			value += b.Fit.Value
			expected += b.Fit.Expected
		}
	}
	if s.FittingPixels > 0 {
		s.PerPixel, s.ExpectedPerPx = value/float64(s.FittingPixels), expected/float64(s.FittingPixels)
	}
	worst := append([]BoxFit(nil), r.BoxFits...)
	sort.SliceStable(worst, func(i, j int) bool { return worst[i].Fit.Z > worst[j].Fit.Z })
	s.Worst = worst[:min(n, len(worst))]
	return s
}
