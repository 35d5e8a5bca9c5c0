package expt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// maxExptBytes bounds the size of an experiment list read into memory.
const maxExptBytes = 256 << 20

// Read decodes an experiment list. name is used in messages only.
func Read(r io.Reader, name string) (*List, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxExptBytes+1))
	if err != nil {
		return nil, fmt.Errorf("expt %s: %w", name, err)
	}
	if len(data) > maxExptBytes {
		return nil, fmt.Errorf("expt %s: larger than %d bytes", name, maxExptBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var l List
	if err := dec.Decode(&l); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("expt %s: not valid JSON at byte %d: %v", name, se.Offset, err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("expt %s: not valid JSON: the text ends early", name)
		}
		return nil, fmt.Errorf("expt %s: not a DIALS experiment list: %v", name, err)
	}
	if l.ID != "ExperimentList" {
		return nil, fmt.Errorf("expt %s: not a DIALS experiment list (__id__ is %q, want \"ExperimentList\")", name, l.ID)
	}
	return &l, nil
}

// Single is the one experiment gobragg simulates from a list: a beam, one
// panel, at most one goniometer (of any kind dxtbx writes) and scan, and a
// crystal.
type Single struct {
	Beam       Beam
	Panel      Panel
	Goniometer *Goniometer
	Scan       *Scan
	Crystal    Crystal
}

// Pick returns experiment i of the list as Single does for a list of one
// (i < 0 takes the only experiment and refuses a list of several, naming
// -expt_index).
func (l *List) Pick(i int, name string) (Single, error) {
	n := len(l.Experiments)
	if i < 0 {
		if n > 1 {
			return Single{}, fmt.Errorf("expt %s: %d experiments; choose one with -expt_index 0 to %d", name, n, n-1)
		}
		return l.Single(name)
	}
	one, err := l.Split(i)
	if err != nil {
		return Single{}, fmt.Errorf("expt %s: %v", name, err)
	}
	return one.Single(fmt.Sprintf("%s experiment %d", name, i))
}

// Single checks that the list holds what gobragg can simulate, refusing
// anything else by name: more than one experiment, a detector with more
// than one panel, a missing beam, detector or crystal, fixed or setting
// rotations that are not rotations, vectors that are not finite or not unit.
func (l *List) Single(name string) (Single, error) {
	fail := func(format string, args ...any) (Single, error) {
		return Single{}, fmt.Errorf("expt %s: %s", name, fmt.Sprintf(format, args...))
	}
	if n := len(l.Experiments); n != 1 {
		return fail("%d experiments; gobragg simulates one (choose it with -expt_index)", n)
	}
	e := l.Experiments[0]
	pick := func(what string, i *int, n int) (int, error) {
		if i == nil {
			return 0, fmt.Errorf("expt %s: the experiment has no %s", name, what)
		}
		if *i < 0 || *i >= n {
			return 0, fmt.Errorf("expt %s: the experiment's %s %d is not in the list (%d given)", name, what, *i, n)
		}
		return *i, nil
	}
	var out Single
	bi, err := pick("beam", e.Beam, len(l.Beams))
	if err != nil {
		return Single{}, err
	}
	out.Beam = l.Beams[bi]
	di, err := pick("detector", e.Detector, len(l.Detectors))
	if err != nil {
		return Single{}, err
	}
	if n := len(l.Detectors[di].Panels); n != 1 {
		return fail("the detector has %d panels; gobragg simulates a single-panel detector", n)
	}
	out.Panel = l.Detectors[di].Panels[0]
	ci, err := pick("crystal", e.Crystal, len(l.Crystals))
	if err != nil {
		return Single{}, err
	}
	out.Crystal = l.Crystals[ci]
	if e.Goniometer != nil {
		gi, err := pick("goniometer", e.Goniometer, len(l.Goniometers))
		if err != nil {
			return Single{}, err
		}
		gn := l.Goniometers[gi]
		if err := checkRotation(gn.FixedRotation); err != nil {
			return fail("goniometer fixed_rotation %v", err)
		}
		if err := checkRotation(gn.SettingRotation); err != nil {
			return fail("goniometer setting_rotation %v", err)
		}
		out.Goniometer = &gn
	}
	if e.Scan != nil {
		si, err := pick("scan", e.Scan, len(l.Scans))
		if err != nil {
			return Single{}, err
		}
		sc := l.Scans[si]
		out.Scan = &sc
	}
	return out, out.check(name)
}

// check refuses values no simulation can use.
func (s Single) check(name string) error {
	unit := []struct {
		what string
		v    [3]float64
	}{
		{"beam direction", s.Beam.Direction}, {"panel fast_axis", s.Panel.FastAxis}, {"panel slow_axis", s.Panel.SlowAxis},
	}
	if s.Goniometer != nil {
		unit = append(unit, struct {
			what string
			v    [3]float64
		}{"goniometer rotation_axis", s.Goniometer.RotationAxis})
	}
	for _, u := range unit {
		n := math.Sqrt(u.v[0]*u.v[0] + u.v[1]*u.v[1] + u.v[2]*u.v[2])
		if !(math.Abs(n-1) < 1e-6) {
			return fmt.Errorf("expt %s: %s %v is not a unit vector", name, u.what, u.v)
		}
	}
	finite := func(xs ...float64) bool {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	c := s.Crystal
	if !finite(s.Panel.Origin[:]...) || !finite(c.RealSpaceA[:]...) || !finite(c.RealSpaceB[:]...) || !finite(c.RealSpaceC[:]...) {
		return fmt.Errorf("expt %s: the panel origin or a crystal vector is not finite", name)
	}
	if !(s.Beam.WavelengthA > 0) || !finite(s.Beam.WavelengthA) {
		return fmt.Errorf("expt %s: beam wavelength %g Å is not positive", name, s.Beam.WavelengthA)
	}
	p := s.Panel
	if p.ImageSize[0] <= 0 || p.ImageSize[1] <= 0 || p.ImageSize[0] > 1<<20 || p.ImageSize[1] > 1<<20 {
		return fmt.Errorf("expt %s: panel image_size %v is not a usable size", name, p.ImageSize)
	}
	if !(p.PixelSizeMM[0] > 0) || p.PixelSizeMM[0] != p.PixelSizeMM[1] || !finite(p.PixelSizeMM[0]) {
		return fmt.Errorf("expt %s: panel pixel_size %v: gobragg simulates square pixels of positive size", name, p.PixelSizeMM)
	}
	if !(p.ThicknessMM >= 0) || !(p.MuPerMM >= 0) || !finite(p.ThicknessMM, p.MuPerMM) {
		return fmt.Errorf("expt %s: panel thickness %g mm or mu %g /mm is negative or not finite", name, p.ThicknessMM, p.MuPerMM)
	}
	if f := s.Beam.PolarizationFraction; !(f >= 0 && f <= 1) {
		return fmt.Errorf("expt %s: beam polarization_fraction %g is outside [0, 1]", name, f)
	}
	if s.Scan != nil && (!finite(s.Scan.Oscillation[:]...) || s.Scan.ImageRange[1] < s.Scan.ImageRange[0]) {
		return fmt.Errorf("expt %s: scan oscillation %v or image_range %v is not usable", name, s.Scan.Oscillation, s.Scan.ImageRange)
	}
	if c.MosaicityDeg != nil && !(*c.MosaicityDeg >= 0 && *c.MosaicityDeg <= 90) {
		return fmt.Errorf("expt %s: crystal mosaicity %g degrees is outside [0, 90]", name, *c.MosaicityDeg)
	}
	return nil
}
