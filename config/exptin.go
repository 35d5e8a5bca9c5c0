package config

import (
	"fmt"
	"math"
	"os"

	"gobragg/detector"
	"gobragg/expt"
)

// dxtbxToNanoBragg maps dxtbx's laboratory frame into nanoBragg's MOSFLM
// frame (beam along +x, spindle along +z), the frame -expt writes MOSFLM
// runs in, so that such files are read back exactly.
var dxtbxToNanoBragg = func() expt.LabFrame {
	f, _ := expt.NewLabFrame([3]float64{1, 0, 0}, [3]float64{0, 0, 1})
	return f
}()

// readExpt sets the beam, detector, goniometer, scan and crystal from the
// one experiment of a DIALS experiment list (-expt_in), as -img sets the
// detector from an SMV header: the detector becomes a custom one placed by
// its origin (-pix0_vector) and axes, the crystal its real-space vectors at
// scan angle 0 (turned by the goniometer's fixed and setting rotations),
// the spindle the setting rotation of the rotation axis, and the spindle
// starts at the scan's first image. Later
// options override these values; -cell, -mat and -misset are refused.
// Every value it sets is recorded with the list's field (exptField), so
// that a check of that value names the field, not an option never given.
func (s *Settings) readExpt(name string) error {
	const opt = "-expt_in"
	if s.Mode == ModeCParity {
		return &UsageError{Option: opt, Msg: "c-parity ignores -pix0_vector as nanoBragg does, so it cannot place an experiment list's detector: use -mode spec"}
	}
	f, err := os.Open(name)
	if err != nil {
		return &UsageError{Option: opt, Msg: fmt.Sprintf("cannot read %s: %v", name, err)}
	}
	defer f.Close()
	l, err := expt.Read(f, name)
	if err != nil {
		return &UsageError{Option: opt, Msg: err.Error()}
	}
	e, err := l.Pick(s.ExptIndex, name)
	if err != nil {
		return &UsageError{Option: opt, Msg: err.Error()}
	}
	field := func(path, key string) string { return exptField(name, path+"."+key) }
	w := e.Where
	// A multi-panel detector is rendered from the list's panels; the
	// single-panel fields below take its first panel (the beam, pixel
	// and sensor defaults).
	if len(e.Panels) > 1 {
		s.ExptPanels = &e
	}
	fr := dxtbxToNanoBragg
	mm := func(v [3]float64) Vec3 {
		v = fr.FromDXTBX(v)
		return Vec3{v[0] / 1000.0, v[1] / 1000.0, v[2] / 1000.0}
	}
	neg := func(v [3]float64) [3]float64 { return [3]float64{-v[0], -v[1], -v[2]} }
	cross := func(a, b [3]float64) [3]float64 {
		return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
	}

	// expt.Single has made the directions unit vectors, the panel's axes
	// and the beam and polarization normal non-parallel, and the panel
	// face the sample.
	s.Convention = detector.Custom
	s.BeamVector = fr.FromDXTBX(neg(e.Beam.Direction))
	s.FdetVector = fr.FromDXTBX(e.Panel.FastAxis)
	s.SdetVector = fr.FromDXTBX(e.Panel.SlowAxis)
	s.OdetVector = cross(s.FdetVector, s.SdetVector)
	s.Pix0Vector, s.Pix0Given = mm(e.Panel.Origin), true
	s.set("Pix0Vector", field(w.Panel, "origin"))
	s.anchorPix0(field(w.Panel, "origin"))
	s.Lambda0 = e.Beam.WavelengthA / 1.0e10
	s.set("Lambda0", field(w.Beam, "wavelength"))
	// The E-vector lies in the polarization plane: normal x beam.
	s.PolarVector = cross(fr.FromDXTBX(e.Beam.PolarizationNormal), s.BeamVector)
	s.Polarization = 2*e.Beam.PolarizationFraction - 1
	s.FPixels, s.SPixels = e.Panel.ImageSize[0], e.Panel.ImageSize[1]
	s.set("FPixels", field(w.Panel, "image_size"))
	s.set("SPixels", field(w.Panel, "image_size"))
	s.PixelSize = e.Panel.PixelSizeMM[0] / 1000.0
	s.set("PixelSize", field(w.Panel, "pixel_size"))
	if e.Panel.ThicknessMM > 0 {
		s.DetectorThick = e.Panel.ThicknessMM / 1000.0
		s.set("DetectorThick", field(w.Panel, "thickness"))
		if e.Panel.MuPerMM > 0 {
			s.DetectorMu = e.Panel.MuPerMM * 1000
			s.set("DetectorMu", field(w.Panel, "mu"))
		}
	}
	if e.Panel.Type == "SENSOR_CCD" && e.Panel.Pedestal > 0 {
		s.ADC = e.Panel.Pedestal
	}
	// The crystal at scan angle phi is S R(axis, phi) F UB: a rotation
	// about S axis of S F UB, which is what nanoBragg turns.
	atZero := func(v [3]float64) [3]float64 { return v }
	if g := e.Goniometer; g != nil {
		s.SpindleAxis = fr.FromDXTBX(g.SpindleAxis())
		atZero = g.AtZero
	}
	if e.Scan != nil {
		s.Phi0 = e.Scan.Oscillation[0] / rtd
		s.set("Phi0", field(w.Scan, "oscillation"))
		if width := e.Scan.Oscillation[1]; width > 0 {
			s.Osc = width / rtd
			s.set("Osc", field(w.Scan, "oscillation"))
		}
	}
	c := e.Crystal
	for _, v := range []struct {
		key string
		a   [3]float64
	}{{"real_space_a", c.RealSpaceA}, {"real_space_b", c.RealSpaceB}, {"real_space_c", c.RealSpaceC}} {
		// A single cell wider than the widest crystal (MaxCrystalM).
		if n := math.Sqrt(v.a[0]*v.a[0]+v.a[1]*v.a[1]+v.a[2]*v.a[2]) / 1e10; !(n <= MaxCrystalM) {
			return usagef(field(w.Crystal, v.key), "the cell edge %v Å is %s m long, above the %s m a crystal may be", v.a, g(n), g(MaxCrystalM))
		}
	}
	s.CrystalVectorsA = &[3]Vec3{fr.FromDXTBX(atZero(c.RealSpaceA)), fr.FromDXTBX(atZero(c.RealSpaceB)), fr.FromDXTBX(atZero(c.RealSpaceC))}
	s.set("CrystalVectorsA", exptField(name, w.Crystal))
	if c.MosaicityDeg != nil {
		s.MosaicSpread = *c.MosaicityDeg / rtd
	}
	return nil
}

// exptField names a field of the experiment list name, as the errors of
// package expt do: "-expt_in: expt NAME: beam[0].wavelength".
func exptField(name, path string) string {
	return fmt.Sprintf("-expt_in: expt %s: %s", name, path)
}

// anchorPix0 expresses the -expt_in origin as nanoBragg's custom
// convention with the beam pivot: Distance along the beam and the
// direct-beam spot Xbeam, Ybeam in the panel, so that refine and gradient
// move the panel with them (the origin stays exact at these values). A
// panel that does not face the beam keeps a fixed origin.
func (s *Settings) anchorPix0(origin string) {
	unit := func(v Vec3) Vec3 {
		n := math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])
		return Vec3{v[0] / n, v[1] / n, v[2] / n}
	}
	d, x, y, ok := detector.BeamPivotOf(s.Pix0Vector, unit(s.FdetVector), unit(s.SdetVector), unit(s.OdetVector), unit(s.BeamVector))
	if !ok {
		return
	}
	s.Distance, s.Xbeam, s.Ybeam = d, x, y
	s.Pix0Anchor = &[3]float64{d, x, y}
	for _, f := range []string{"Distance", "Xbeam", "Ybeam"} {
		s.set(f, origin)
	}
}

// checkExptCrystal refuses options that would set the crystal a second
// time after -expt_in set it.
func (s *Settings) checkExptCrystal() error {
	if s.CrystalVectorsA == nil {
		return nil
	}
	switch {
	case s.UserCell:
		return &UsageError{Option: "-cell", Msg: "the crystal comes from -expt_in; drop -cell"}
	case s.MatFile != "":
		return &UsageError{Option: "-mat", Msg: "the crystal comes from -expt_in; drop -mat"}
	case s.Misset != MissetNone:
		return &UsageError{Option: "-misset", Msg: "the crystal comes from -expt_in; drop -misset"}
	}
	return nil
}

// ExptLabFrame maps an experiment list's (dxtbx's) laboratory frame into
// the nanoBragg frame -expt_in simulates in (MOSFLM: beam along +x,
// spindle along +z).
func ExptLabFrame() expt.LabFrame { return dxtbxToNanoBragg }
