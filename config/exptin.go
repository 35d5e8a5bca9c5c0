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
	fr := dxtbxToNanoBragg
	mm := func(v [3]float64) Vec3 {
		v = fr.FromDXTBX(v)
		return Vec3{v[0] / 1000.0, v[1] / 1000.0, v[2] / 1000.0}
	}
	neg := func(v [3]float64) [3]float64 { return [3]float64{-v[0], -v[1], -v[2]} }
	cross := func(a, b [3]float64) [3]float64 {
		return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
	}

	s.Convention = detector.Custom
	s.BeamVector = fr.FromDXTBX(neg(e.Beam.Direction))
	s.FdetVector = fr.FromDXTBX(e.Panel.FastAxis)
	s.SdetVector = fr.FromDXTBX(e.Panel.SlowAxis)
	s.OdetVector = cross(s.FdetVector, s.SdetVector)
	s.Pix0Vector, s.Pix0Given = mm(e.Panel.Origin), true
	s.anchorPix0(opt + " " + name + " panel origin")
	s.Lambda0 = e.Beam.WavelengthA / 1.0e10
	s.set("Lambda0", opt+" "+name+" beam wavelength")
	// The E-vector lies in the polarization plane: normal x beam.
	s.PolarVector = cross(fr.FromDXTBX(e.Beam.PolarizationNormal), s.BeamVector)
	s.Polarization = 2*e.Beam.PolarizationFraction - 1
	s.FPixels, s.SPixels = e.Panel.ImageSize[0], e.Panel.ImageSize[1]
	s.PixelSize = e.Panel.PixelSizeMM[0] / 1000.0
	s.set("PixelSize", opt+" "+name+" panel pixel_size")
	if e.Panel.ThicknessMM > 0 {
		s.DetectorThick = e.Panel.ThicknessMM / 1000.0
		if e.Panel.MuPerMM > 0 {
			s.DetectorMu = e.Panel.MuPerMM * 1000
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
		if w := e.Scan.Oscillation[1]; w > 0 {
			s.Osc = w / rtd
		}
	}
	c := e.Crystal
	s.CrystalVectorsA = &[3]Vec3{fr.FromDXTBX(atZero(c.RealSpaceA)), fr.FromDXTBX(atZero(c.RealSpaceB)), fr.FromDXTBX(atZero(c.RealSpaceC))}
	if c.MosaicityDeg != nil {
		s.MosaicSpread = *c.MosaicityDeg / rtd
	}
	for _, v := range []Vec3{s.BeamVector, s.FdetVector, s.SdetVector, s.PolarVector, s.SpindleAxis} {
		if n := math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2]); !(n > 0.5) {
			return &UsageError{Option: opt, Msg: fmt.Sprintf("%s: beam, panel axes and polarization normal must not be parallel", name)}
		}
	}
	return nil
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
