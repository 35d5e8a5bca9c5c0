package config

import (
	"fmt"
	"math"

	"gobragg/crystal"
	"gobragg/detector"
)

// The physical ranges Resolve enforces. A value outside them gives an
// all-zero, negative, NaN or infinite image (or no image at all), so it is
// refused with the option and the range in the option's own units. The
// upper bounds sit far above any experiment; they exist so that squares and
// products of the values stay finite in float64 and float32 (an image
// pixel above 3.4e38 photons becomes +Inf).
// MaxCrystalM bounds the crystal's full width along each axis, whether
// given (-sample_thick, ...) or N cells times the cell edge (checked where
// the lattice is built): 1 m.
const MaxCrystalM = 1.0

const (
	maxLengthM     = 100.0 // distances, beam centres, near points: 100 m
	maxPixelM      = 1.0   // pixel size and beam size: 1 m
	minPixelM      = 1e-9  // pixel size: 1 nm (its square, a subpixel's area, must not underflow)
	minLambdaM     = 1e-14 // wavelength: 1e-4 Angstrom (electrons at 300 kV are 0.02 Angstrom)
	maxLambdaM     = 1e-6  // wavelength: 1e4 Angstrom (beyond the softest X-rays)
	maxWaterM      = 1.0   // water thickness: 1 m
	maxFluence     = 1e40  // photons/m^2 (an XFEL pulse is about 1e24)
	maxFlux        = 1e30  // photons/s
	maxExposureS   = 1e9   // s (about 30 years)
	maxFudge       = 1e6   // spot-shape scale factor
	maxMosaicRad   = math.Pi
	maxDispersion  = 2.0 // fraction: at 200 % the shortest wavelength is 0
	maxSensorM     = 1.0 // sensor thickness: 1 m
	maxNearPointPx = 1e9 // ORGX, ORGY in pixels
	// maxSpindleRad bounds the start angle, oscillation and step: 1000
	// turns, where float64 angles still resolve 1e-9 degrees.
	maxSpindleRad = 2 * math.Pi * 1000
)

// rangeCheck is one quantity and its valid interval; lowOpen and highOpen
// say whether the ends are excluded.
type rangeCheck struct {
	v                 float64
	option, unit      string
	scale             float64 // multiplies v into the option's unit for the message
	low, high         float64
	lowOpen, highOpen bool
}

func (r rangeCheck) ok() bool {
	if r.v < r.low || (r.lowOpen && r.v == r.low) {
		return false
	}
	return r.v < r.high || (!r.highOpen && r.v == r.high)
}

// err names the option, the valid range and the value, in the option's unit.
func (r rangeCheck) err() error {
	lo, hi := "[", "]"
	if r.lowOpen {
		lo = "("
	}
	if r.highOpen {
		hi = ")"
	}
	unit := ""
	if r.unit != "" {
		unit = " " + r.unit
	}
	return usagef(r.option, "value %s%s is outside the valid range %s%s, %s%s%s",
		g(r.v*r.scale), unit, lo, g(r.low*r.scale), g(r.high*r.scale), hi, unit)
}

// checkPhysical refuses values that make no physical sense (see the ranges
// above), partial or degenerate -cell values in spec mode (a warning in
// c-parity mode, which keeps C's reading), and option combinations that
// give a blank or meaningless image. It runs after the fluence is derived
// from -flux and before the sampling fill-in.
func (s *Settings) checkPhysical() error {
	mm, um, deg := 1e3, 1e6, rtd
	checks := []rangeCheck{
		{v: s.PixelSize, option: s.origin("PixelSize", "-pixel"), unit: "mm", scale: mm, low: minPixelM, high: maxPixelM},
		{v: s.Lambda0, option: s.origin("Lambda0", "-lambda"), unit: "A", scale: 1e10, low: minLambdaM, high: maxLambdaM},
		{v: s.Distance, option: s.origin("Distance", "-distance"), unit: "mm", scale: mm, high: maxLengthM, lowOpen: true},
		{v: s.Fudge, option: "-fudge", scale: 1, high: maxFudge, lowOpen: true},
		{v: s.DefaultF, option: "-default_F", scale: 1, high: crystal.MaxF},
		{v: s.WaterSize, option: "-water", unit: "um", scale: um, high: maxWaterM},
		{v: s.Dispersion, option: "-dispersion", unit: "%", scale: 100, high: maxDispersion, highOpen: true},
		{v: s.DetectorThick, option: s.origin("DetectorThick", "-detector_thick"), unit: "um", scale: um, high: maxSensorM},
		{v: s.Dmin, option: "-dmin", unit: "A", scale: 1e10, high: maxLengthM},
		{v: s.Twotheta, option: "-twotheta", unit: "degrees", scale: deg, low: -math.Pi / 2, high: math.Pi / 2, lowOpen: true, highOpen: true},
		{v: s.Phi0, option: s.origin("Phi0", "-phi"), unit: "degrees", scale: deg, low: -maxSpindleRad, high: maxSpindleRad},
	}
	// The step and oscillation are NaN until the sampling fill-in when not
	// given; the step comes first, since a huge one makes the oscillation
	// it implies NaN.
	for _, x := range []struct {
		v    float64
		name string
	}{{s.PhiStep, "-phistep"}, {s.Osc, s.origin("Osc", "-osc")}} {
		if !math.IsNaN(x.v) {
			checks = append(checks, rangeCheck{v: x.v, option: x.name, unit: "degrees", scale: deg, low: -maxSpindleRad, high: maxSpindleRad})
		}
	}
	if !s.NoPolar {
		checks = append(checks, rangeCheck{v: s.Polarization, option: "-polar", scale: 1, low: -1, high: 1})
	}
	if !math.IsNaN(s.MosaicSpread) {
		checks = append(checks, rangeCheck{v: s.MosaicSpread, option: "-mosaic", unit: "degrees", scale: deg, high: maxMosaicRad})
	}
	checks = append(checks, rangeCheck{v: s.MosaicSpindle, option: "-mosaic_spindle", unit: "degrees", scale: deg, high: maxMosaicRad})
	for _, x := range []struct {
		v    float64
		name string
	}{{s.SampleX, "-sample_thick"}, {s.SampleY, "-sample_width"}, {s.SampleZ, "-sample_height"}} {
		checks = append(checks, rangeCheck{v: x.v, option: x.name, unit: "mm", scale: mm, high: MaxCrystalM})
	}
	if !math.IsNaN(s.CloseDistance) {
		checks = append(checks, rangeCheck{v: s.CloseDistance, option: s.origin("CloseDistance", "-close_distance"), unit: "mm", scale: mm, high: maxLengthM, lowOpen: true})
	}
	for _, x := range []struct {
		v    float64
		name string
	}{{s.Xbeam, s.origin("Xbeam", "-Xbeam")}, {s.Ybeam, s.origin("Ybeam", "-Ybeam")}, {s.Xclose, "-Xclose"}, {s.Yclose, "-Yclose"}} {
		if !math.IsNaN(x.v) {
			checks = append(checks, rangeCheck{v: x.v, option: x.name, unit: "mm", scale: mm, low: -maxLengthM, high: maxLengthM})
		}
	}
	for _, x := range []struct {
		v    float64
		name string
	}{{s.ORGX, "-ORGX"}, {s.ORGY, "-ORGY"}} {
		if !math.IsNaN(x.v) {
			checks = append(checks, rangeCheck{v: x.v, option: x.name, unit: "pixels", scale: 1, low: -maxNearPointPx, high: maxNearPointPx})
		}
	}
	for _, c := range checks {
		if !c.ok() {
			return c.err()
		}
	}
	if err := s.checkFluence(); err != nil {
		return err
	}
	if err := s.checkVectors(); err != nil {
		return err
	}
	if s.OversampleThick && !(s.DetectorThick > 0) {
		return usagef("-oversample_thick", "needs a sensor: give -detector_thick (um) and -detector_abs (um); without one every pixel is NaN here and 0 in nanoBragg")
	}
	return s.checkCell()
}

// checkBeamInputs runs before the fluence is derived: -flux, -exposure and
// -beamsize as given, and a flux without the exposure that turns it into a
// fluence (C then silently keeps the default fluence).
func (s *Settings) checkBeamInputs() error {
	for _, c := range []rangeCheck{
		{v: s.Flux, option: "-flux", unit: "photons/s", scale: 1, high: maxFlux},
		{v: s.Exposure, option: "-exposure", unit: "s", scale: 1, high: maxExposureS},
		{v: s.BeamSize, option: "-beamsize", unit: "mm", scale: 1e3, high: maxPixelM, lowOpen: true},
	} {
		if !c.ok() {
			return c.err()
		}
	}
	if s.Flux != 0 && !(s.Exposure > 0) {
		return usagef("-flux", "needs a positive -exposure (s) to set the fluence, got -exposure %s", g(s.Exposure))
	}
	return nil
}

// fluenceFromFlux is the origin resolveBeam records for a derived fluence.
const fluenceFromFlux = "-flux/-exposure/-beamsize"

// checkFluence refuses a fluence, given or derived from -flux, -exposure
// and -beamsize, outside (0, 1e40] photons/m^2.
func (s *Settings) checkFluence() error {
	c := rangeCheck{v: s.Fluence, option: s.origin("Fluence", "-fluence"), unit: "photons/m^2", scale: 1, high: maxFluence, lowOpen: true}
	if c.ok() {
		return nil
	}
	if c.option == fluenceFromFlux {
		return usagef(c.option, "fluence flux*exposure/beamsize^2 = %s photons/m^2 (from -flux %s, -exposure %s, -beamsize %s mm) is outside the valid range (0, %s]",
			g(s.Fluence), g(s.Flux), g(s.Exposure), g(s.BeamSize*1e3), g(maxFluence))
	}
	return c.err()
}

// checkVectors refuses detector and beam axes that cannot be unitized or
// that leave the detector without a plane: zero axes, a fast axis parallel
// to the slow one, and a zero -pix0_vector (the detector through the
// sample). A zero -odet_vector is generated from fdet x sdet in c-parity
// mode, as C does (with C's WARNING line); spec mode refuses it.
func (s *Settings) checkVectors() error {
	zero := func(v Vec3) bool { return v == Vec3{} }
	for _, x := range []struct {
		v    Vec3
		name string
	}{{s.BeamVector, "-beam_vector"}, {s.FdetVector, "-fdet_vector"}, {s.SdetVector, "-sdet_vector"},
		{s.PolarVector, "-polar_vector"}, {s.SpindleAxis, "-spindle_axis"}} {
		if zero(x.v) {
			return usagef(x.name, "direction 0 0 0 has no length")
		}
	}
	if s.Mode == ModeSpec && zero(s.OdetVector) {
		return usagef("-odet_vector", "direction 0 0 0 has no length (give the detector normal, or leave it out)")
	}
	if s.Twotheta != 0 && zero(s.TwothetaAxis) {
		return usagef("-twotheta_axis", "direction 0 0 0 has no length with -twotheta %s degrees", g(s.Twotheta*rtd))
	}
	f, sl := s.FdetVector, s.SdetVector
	cross := Vec3{f[1]*sl[2] - f[2]*sl[1], f[2]*sl[0] - f[0]*sl[2], f[0]*sl[1] - f[1]*sl[0]}
	if s.Convention == detector.Custom && zero(cross) {
		return usagef("-fdet_vector", "%s is parallel to -sdet_vector %s: the detector has no plane", vecText(f), vecText(sl))
	}
	if s.Pix0Given && zero(s.Pix0Vector) {
		return usagef(s.origin("Pix0Vector", "-pix0_vector"), "0 0 0 puts the detector's first pixel on the sample")
	}
	return nil
}

// checkCell refuses, in spec mode, a -cell with fewer than six values or
// with an edge or angle that is not positive (C silently reads a missing
// or zero b, c as a and a missing or zero angle as 90 degrees); c-parity
// mode keeps C's reading and says so in a warning. An angle of 180 degrees
// or more is refused in both modes.
func (s *Settings) checkCell() error {
	if !s.UserCell || s.MatFile != "" {
		return nil
	}
	for i, a := range s.CellAngstrom {
		if a < 0 {
			return usagef("-cell", "edge %c = %s A must be positive", "abc"[i], g(a))
		}
	}
	names := [6]string{"a", "b", "c", "alpha", "beta", "gamma"}
	for i, a := range s.CellAngles {
		if a < 0 || a >= math.Pi {
			return usagef("-cell", "angle %s = %s degrees is outside the valid range (0, 180)", names[3+i], g(a*rtd))
		}
	}
	// What C would complete silently, in the order of the values.
	what := ""
	for i := 1; i < s.CellValues && what == ""; i++ {
		if (i < 3 && s.CellAngstrom[i] == 0) || (i >= 3 && s.CellAngles[i-3] == 0) {
			what = fmt.Sprintf("%s = 0 is read as %s", names[i], map[bool]string{true: "a", false: "90 degrees"}[i < 3])
		}
	}
	if s.CellValues < 6 {
		what = fmt.Sprintf("got %d of the 6 values a b c alpha beta gamma", s.CellValues)
	}
	if what == "" {
		return nil
	}
	if s.Mode == ModeSpec {
		return usagef("-cell", "%s (give all six, edges in A and angles in degrees, each positive)", what)
	}
	s.alertf("-cell: %s; c-parity reads missing or zero b, c as a and angles as 90 degrees, as nanoBragg does", what)
	return nil
}

// checkStepRatios refuses a range and step whose ratio, the number of
// steps C derives with ceil(range/step), does not fit C's int (-osc 1
// -phistep 1e-12): the resource check in sim refuses smaller runaway
// counts with the estimate.
func (s *Settings) checkStepRatios() error {
	for _, r := range []struct {
		rng, step    float64
		option, unit string
		scale        float64
	}{
		{s.Osc, s.PhiStep, "-phistep", "degrees", rtd},
		{s.HDivRange, s.HDivStep, "-hdivstep", "mrad", 1e3},
		{s.VDivRange, s.VDivStep, "-vdivstep", "mrad", 1e3},
	} {
		if r.rng > 0 && r.step > 0 && math.Ceil(r.rng/r.step) > math.MaxInt32 {
			return usagef(r.option, "step %s %s gives %s steps across the range %s %s, more than %d",
				g(r.step*r.scale), r.unit, g(math.Ceil(r.rng/r.step)), g(r.rng*r.scale), r.unit, math.MaxInt32)
		}
	}
	return nil
}
