package expt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"reflect"

	"gonum.org/v1/gonum/spatial/r3"

	"gobragg/crystal"
)

// maxExptBytes bounds an experiment list, which is read whole into memory
// and checked (checkShape, whose maxDecodeBytes is the tighter bound for
// real lists) before it is decoded: a refusal of a larger file costs
// nothing, and one of a file this size about its size in memory. Split a
// larger list (dials.split_experiments; refine takes one list per shot
// with '#').
const maxExptBytes = 64 << 20

// listType is the Go type a list decodes into.
var listType = reflect.TypeFor[List]()

// Read decodes an experiment list, refusing before anything is decoded:
// a file above maxExptBytes, text that is not one JSON value (trailing
// bytes other than white space included), and values of the wrong shape
// for their field (see checkShape: an array of the wrong length for a
// vector, size or matrix, null for a number, a decoded size above
// maxDecodeBytes). Errors name the list ("expt NAME: ...") and the field
// as a path (crystal[0].real_space_a). name is used in messages only.
func Read(r io.Reader, name string) (*List, error) {
	fail := func(format string, args ...any) (*List, error) {
		return nil, fmt.Errorf("expt %s: %s", name, fmt.Sprintf(format, args...))
	}
	data, err := readBounded(r)
	if err != nil {
		return fail("%v", err)
	}
	if err := checkSyntax(data); err != nil {
		return fail("%v", err)
	}
	if err := checkShape(data, listType); err != nil {
		if se, ok := err.(*shapeError); ok && len(se.rev) == 0 {
			return fail("not a DIALS experiment list: %v", err)
		}
		return fail("%v", err)
	}
	var l List
	if err := json.Unmarshal(data, &l); err != nil {
		return fail("not a DIALS experiment list: %v", err)
	}
	if l.ID != "ExperimentList" {
		return fail("not a DIALS experiment list (__id__ is %q, want \"ExperimentList\")", l.ID)
	}
	return &l, nil
}

// readBounded reads all of r, refusing more than maxExptBytes: a regular
// file by its size, before reading it.
func readBounded(r io.Reader) ([]byte, error) {
	size := 0
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if st.Size() > maxExptBytes {
				return nil, fmt.Errorf("%d bytes, above the %d MiB an experiment list may have; split it (dials.split_experiments)", st.Size(), maxExptBytes>>20)
			}
			size = int(st.Size())
		}
	}
	var buf bytes.Buffer
	buf.Grow(size + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(r, maxExptBytes+1)); err != nil {
		return nil, err
	}
	if buf.Len() > maxExptBytes {
		return nil, fmt.Errorf("more than %d MiB, the most an experiment list may have; split it (dials.split_experiments)", maxExptBytes>>20)
	}
	return buf.Bytes(), nil
}

// checkSyntax refuses data that is not exactly one JSON value, naming the
// line: a syntax error, text that ends early, and anything but white space
// after the value.
func checkSyntax(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("the file is empty")
	}
	// Unmarshal checks the whole text before it decodes anything, so on
	// invalid text it only returns the syntax error.
	var v struct{}
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	switch {
	case se.Offset >= 1 && json.Valid(data[:se.Offset-1]):
		return fmt.Errorf("text after the end of the JSON value, at line %d (byte %d)", lineOf(data, se.Offset-1), se.Offset-1)
	case se.Offset >= int64(len(data)):
		return errors.New("not valid JSON: the text ends early")
	}
	return fmt.Errorf("not valid JSON at line %d (byte %d): %v", lineOf(data, se.Offset-1), se.Offset, err)
}

// lineOf is the 1-based line of byte offset off in data.
func lineOf(data []byte, off int64) int {
	off = max(0, min(off, int64(len(data))))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// Single is the one experiment gobragg simulates from a list: a beam, a
// detector of one or more panels, at most one goniometer (of any kind
// dxtbx writes) and scan, and a crystal.
type Single struct {
	Beam Beam
	// Panels are the detector's panels in the laboratory frame (their
	// frames composed through the hierarchy), in the list's order; Panel
	// is the first, the whole detector when it has one panel.
	Panels []Panel
	Panel  Panel
	// Hierarchy is the detector's tree of groups; LocalFrames[i] is panel
	// i's frame in its group Parents[i] (what the list holds).
	Hierarchy   *Group
	LocalFrames []Frame
	Parents     []*Group
	Goniometer  *Goniometer
	Scan        *Scan
	Crystal     Crystal
	// Where names each model's place in the list, for messages.
	Where Where
}

// Where holds the paths of the models of a Single in their list, as jq
// writes them: "beam[0]", "detector[0]", "detector[0].panels[0]" (the
// first panel), "crystal[0]"; empty for a model the experiment has not.
type Where struct {
	Beam, Detector, Panel, Goniometer, Scan, Crystal string
}

// PanelPath is the path of panel i ("detector[0].panels[3]").
func (w Where) PanelPath(i int) string {
	return fmt.Sprintf("%s.panels[%d]", w.Detector, i)
}

// unitTolerance is how far from 1 the length of a direction may be: dxtbx
// writes unit vectors to 16 digits, so more than rounding means the
// vector is not a direction.
const unitTolerance = 1e-6

// perpendicularTolerance is the largest cosine between a panel's fast and
// slow axes: dxtbx writes orthonormal axes to 16 digits, so a larger one
// is a skewed pixel grid.
const perpendicularTolerance = 1e-6

// parallelTolerance is the smallest sine of the angle between two
// directions that must span a plane (a panel's axes, the beam and its
// polarization normal); below it their cross product is rounding noise.
const parallelTolerance = 1e-6

// Single checks that the list holds what gobragg can simulate, refusing
// anything else by name: more than one experiment (-expt_index chooses
// one), and what Experiment refuses.
// Pick returns experiment i of the list (i < 0: the only experiment,
// refusing a list of several and naming -expt_index).
func (l *List) Pick(i int, name string) (Single, error) {
	if i < 0 {
		return l.Single(name)
	}
	return l.Experiment(i, name)
}

func (l *List) Single(name string) (Single, error) {
	if n := len(l.Experiments); n != 1 {
		return Single{}, fmt.Errorf("expt %s: %d experiments; choose one with -expt_index 0 to %d", name, n, n-1)
	}
	return l.Experiment(0, name)
}

// Experiment returns experiment k of the list as a Single, refusing by
// name what gobragg cannot simulate: a detector without panels or with
// more than maxPanels, a hierarchy that does not hold every panel once, a
// missing beam, detector or crystal, fixed or setting rotations that
// are not rotations, and the values check refuses.
func (l *List) Experiment(k int, name string) (Single, error) {
	fail := func(format string, args ...any) (Single, error) {
		return Single{}, fmt.Errorf("expt %s: %s", name, fmt.Sprintf(format, args...))
	}
	if k < 0 || k >= len(l.Experiments) {
		return fail("experiment %d is not in the list (%d given)", k, len(l.Experiments))
	}
	e := l.Experiments[k]
	pick := func(what string, i *int, n int) (int, error) {
		if i == nil {
			return 0, fmt.Errorf("expt %s: experiment[%d]: the experiment has no %s", name, k, what)
		}
		if *i < 0 || *i >= n {
			return 0, fmt.Errorf("expt %s: experiment[%d]: the experiment's %s %d is not in the list (%d given)", name, k, what, *i, n)
		}
		return *i, nil
	}
	var out Single
	bi, err := pick("beam", e.Beam, len(l.Beams))
	if err != nil {
		return Single{}, err
	}
	out.Beam = l.Beams[bi]
	out.Where.Beam = fmt.Sprintf("beam[%d]", bi)
	di, err := pick("detector", e.Detector, len(l.Detectors))
	if err != nil {
		return Single{}, err
	}
	out.Where.Detector = fmt.Sprintf("detector[%d]", di)
	out.Panels, out.Hierarchy, out.LocalFrames, out.Parents, err = labPanels(l.Detectors[di], out.Where.Detector)
	if err != nil {
		return fail("%v", err)
	}
	out.Panel = out.Panels[0]
	out.Where.Panel = out.Where.PanelPath(0)
	ci, err := pick("crystal", e.Crystal, len(l.Crystals))
	if err != nil {
		return Single{}, err
	}
	out.Crystal = l.Crystals[ci]
	out.Where.Crystal = fmt.Sprintf("crystal[%d]", ci)
	if e.Goniometer != nil {
		gi, err := pick("goniometer", e.Goniometer, len(l.Goniometers))
		if err != nil {
			return Single{}, err
		}
		gn := l.Goniometers[gi]
		if gn.invalid != nil {
			return fail("goniometer[%d]: %v", gi, gn.invalid)
		}
		if err := checkRotation(gn.FixedRotation); err != nil {
			return fail("goniometer[%d].fixed_rotation: %v", gi, err)
		}
		if err := checkRotation(gn.SettingRotation); err != nil {
			return fail("goniometer[%d].setting_rotation: %v", gi, err)
		}
		out.Goniometer = &gn
		out.Where.Goniometer = fmt.Sprintf("goniometer[%d]", gi)
	}
	if e.Scan != nil {
		si, err := pick("scan", e.Scan, len(l.Scans))
		if err != nil {
			return Single{}, err
		}
		sc := l.Scans[si]
		out.Scan = &sc
		out.Where.Scan = fmt.Sprintf("scan[%d]", si)
	}
	return out, out.check(name)
}

// check refuses values no simulation can use, naming the field: a
// direction that is not a unit vector, a panel whose axes are parallel or
// that does not face the sample (the sample must lie on the side of the
// panel's plane opposite its normal fast_axis x slow_axis, or every pixel
// sees a negative solid angle), a polarization normal along the beam,
// crystal vectors that are not finite, have no length or are coplanar or
// left-handed, and sizes, wavelengths, fractions and angles that are not
// finite or outside their range. Physical ranges (the wavelength's, the
// pixel's) are config's, which names the same fields.
func (s Single) check(name string) error {
	w := s.Where
	fail := func(path, format string, args ...any) error {
		return fmt.Errorf("expt %s: %s: %s", name, path, fmt.Sprintf(format, args...))
	}
	type vector struct {
		path string
		v    [3]float64
	}
	unit := []vector{{w.Beam + ".direction", s.Beam.Direction}}
	if s.Goniometer != nil {
		unit = append(unit, vector{w.Goniometer + ".rotation_axis", s.Goniometer.RotationAxis})
	}
	for _, u := range unit {
		if n := r3.Norm(vec(u.v)); !(math.Abs(n-1) < unitTolerance) {
			return fail(u.path, "%s is not a unit vector (length %g)", vecText(u.v), n)
		}
	}
	total := 0
	for i, p := range s.Panels {
		if err := checkPanel(p, w.PanelPath(i), fail); err != nil {
			return err
		}
		total += p.ImageSize[0] * p.ImageSize[1]
	}
	// One panel's size is config's to bound (naming image_size).
	if len(s.Panels) > 1 && total > maxDetectorPixels {
		return fail(w.Detector, "%d pixels in all, above the %d one image may hold", total, maxDetectorPixels)
	}
	b, c := s.Beam, s.Crystal
	pn := vec(b.PolarizationNormal)
	if n := r3.Norm(pn); !(n > 0) || !finite(n) {
		return fail(w.Beam+".polarization_normal", "%s has no direction", vecText(b.PolarizationNormal))
	}
	if r3.Norm(r3.Cross(r3.Unit(pn), vec(b.Direction))) < parallelTolerance {
		return fail(w.Beam, "polarization_normal %s is parallel to direction %s: it leaves no polarization plane", vecText(b.PolarizationNormal), vecText(b.Direction))
	}
	if !(b.WavelengthA > 0) || !finite(b.WavelengthA) {
		return fail(w.Beam+".wavelength", "%g Å is not a positive number", b.WavelengthA)
	}
	if f := b.PolarizationFraction; !(f >= 0 && f <= 1) {
		return fail(w.Beam+".polarization_fraction", "%g is outside [0, 1]", f)
	}
	if s.Scan != nil && !finite(s.Scan.Oscillation[:]...) {
		return fail(w.Scan+".oscillation", "%v is not finite", s.Scan.Oscillation)
	}
	if s.Scan != nil && s.Scan.ImageRange[1] < s.Scan.ImageRange[0] {
		return fail(w.Scan+".image_range", "%v ends before it starts", s.Scan.ImageRange)
	}
	if c.MosaicityDeg != nil && !(*c.MosaicityDeg >= 0 && *c.MosaicityDeg <= 90) {
		return fail(w.Crystal+".mosaicity", "%g degrees is outside [0, 90]", *c.MosaicityDeg)
	}
	axes := []vector{{"real_space_a", c.RealSpaceA}, {"real_space_b", c.RealSpaceB}, {"real_space_c", c.RealSpaceC}}
	for _, a := range axes {
		if !finite(a.v[:]...) {
			return fail(w.Crystal+"."+a.path, "%s Å is not finite", vecText(a.v))
		}
		if n := r3.Norm(vec(a.v)); !(n > 0) || !finite(n) {
			return fail(w.Crystal+"."+a.path, "%s Å has no length", vecText(a.v))
		}
	}
	// The volume over the product of the edges, from unit vectors so that
	// it neither overflows nor underflows; crystal.BuildLattice's rule.
	ua, ub, uc := r3.Unit(vec(c.RealSpaceA)), r3.Unit(vec(c.RealSpaceB)), r3.Unit(vec(c.RealSpaceC))
	if flat := r3.Dot(ua, r3.Cross(ub, uc)); !(flat > crystal.MinFlatness) {
		return fail(w.Crystal, "real_space_a %s, real_space_b %s and real_space_c %s Å are coplanar or left-handed (volume/(a b c) = %.3g, must be above %g)",
			vecText(c.RealSpaceA), vecText(c.RealSpaceB), vecText(c.RealSpaceC), flat, crystal.MinFlatness)
	}
	return nil
}

// checkPanel refuses a panel no simulation can use, naming it by path
// (its frame in the laboratory frame): axes that are not unit vectors,
// parallel or skewed, an origin that is not finite, a panel that does not
// face the sample, sizes and materials out of range.
func checkPanel(p Panel, path string, fail func(path, format string, args ...any) error) error {
	for _, u := range []struct {
		key string
		v   [3]float64
	}{{".fast_axis", p.FastAxis}, {".slow_axis", p.SlowAxis}} {
		if n := r3.Norm(vec(u.v)); !(math.Abs(n-1) < unitTolerance) {
			return fail(path+u.key, "%s is not a unit vector (length %g)", vecText(u.v), n)
		}
	}
	normal := r3.Cross(vec(p.FastAxis), vec(p.SlowAxis))
	if r3.Norm(normal) < parallelTolerance {
		return fail(path, "fast_axis %s and slow_axis %s are parallel: the panel has no plane", vecText(p.FastAxis), vecText(p.SlowAxis))
	}
	// gobragg's pixels are squares (solid angle, polarization and the
	// pixel's area assume it), as every dxtbx detector model builds them.
	if c := r3.Dot(vec(p.FastAxis), vec(p.SlowAxis)); math.Abs(c) > perpendicularTolerance {
		return fail(path, "fast_axis %s and slow_axis %s are not perpendicular (cosine %.3g): gobragg simulates square pixels", vecText(p.FastAxis), vecText(p.SlowAxis), c)
	}
	if !finite(p.Origin[:]...) {
		return fail(path+".origin", "%s mm is not finite", vecText(p.Origin))
	}
	// nanoBragg's close distance: the sample-to-plane distance along the
	// normal, the factor of every pixel's solid angle.
	if d := r3.Dot(vec(p.Origin), r3.Unit(normal)); !(d > 0) {
		return fail(path, "the panel does not face the sample: origin %s mm is %.6g mm along the normal fast_axis x slow_axis, "+
			"not above 0 (the sample is behind the panel or in its plane: every pixel's solid angle would be negative or zero)", vecText(p.Origin), d)
	}
	if p.ImageSize[0] <= 0 || p.ImageSize[1] <= 0 || p.ImageSize[0] > maxPanelPixels || p.ImageSize[1] > maxPanelPixels {
		return fail(path+".image_size", "%v is not a usable size (1 to %d pixels along each axis)", p.ImageSize, maxPanelPixels)
	}
	if !(p.PixelSizeMM[0] > 0) || p.PixelSizeMM[0] != p.PixelSizeMM[1] || !finite(p.PixelSizeMM[0]) {
		return fail(path+".pixel_size", "%v: gobragg simulates square pixels of positive size", p.PixelSizeMM)
	}
	if !(p.ThicknessMM >= 0) || !finite(p.ThicknessMM) {
		return fail(path+".thickness", "%g mm is negative or not finite", p.ThicknessMM)
	}
	if !(p.MuPerMM >= 0) || !finite(p.MuPerMM) {
		return fail(path+".mu", "%g /mm is negative or not finite", p.MuPerMM)
	}
	return nil
}

// finite reports whether every x is a number other than ±Inf.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// maxPanelPixels bounds a panel's pixels along each axis: 2^20 is 400
// times the 2463 columns of a Pilatus 6M. (config refuses a detector of
// more than 2^31 pixels in all, naming image_size.)
const maxPanelPixels = 1 << 20

// maxDetectorPixels bounds the pixels of all panels together: the image
// of every panel one after another is indexed by an int32-sized offset
// (config's bound for one panel).
const maxDetectorPixels = 1 << 31

// vecText writes a vector for a message, to 6 significant digits.
func vecText(v [3]float64) string {
	return fmt.Sprintf("[%.6g %.6g %.6g]", v[0], v[1], v[2])
}

// vec converts a list's vector to r3.
func vec(v [3]float64) r3.Vec { return r3.Vec{X: v[0], Y: v[1], Z: v[2]} }
