package config

import (
	"fmt"
	"gobragg/beam"
	"gobragg/imageio"
	"math"
)

// Resolve fills in what nanoBragg.c derives from the options before it
// renders (its "fill in blanks" and "default sampling logic"), in C's order
// and with C's arithmetic:
//
//   - detector size from pixel counts, then pixel counts from detector size:
//     FPixels = ceil(DetsizeF/PixelSize - 0.5);
//   - fluence from flux, exposure and beam size (when Flux != 0, Exposure > 0
//     and BeamSize >= 0), clipping of the sample to the beam (with C's
//     WARNING lines), and the flux recomputed from the fluence;
//   - ROI defaults: minima 0, maxima FPixels and SPixels (one past the last
//     pixel, as C);
//   - the auto-selection of phi steps / oscillation / phi step, divergence
//     steps and ranges, dispersion steps, sensor layers, the attenuation
//     coefficient from the thickness, and mosaic domains, then C's sanity
//     checks that reset a degenerate range to one step.
//
// WARNING lines C prints for these steps are appended to s.Warnings.
// Resolve returns a *UsageError naming the option for: a pixel size, pixel
// count or detector size that is not positive, a detector smaller than one
// pixel, a negative N, an ROI outside the detector or with min > max, a
// wavelength that is not positive, a quantity that is NaN or infinite, a
// mask whose size does not match the detector, a missing -cell and -mat (C
// prints its usage and exits 9), or no -hkl with -default_F 0 and no
// readable dump file (see FdumpReadable). Calling Resolve again does nothing.
func (s *Settings) Resolve() error {
	if s.resolved {
		return nil
	}
	if err := s.checkInputs(); err != nil {
		return err
	}
	if err := s.resolveDetector(); err != nil {
		return err
	}
	if err := s.checkBeamInputs(); err != nil {
		return err
	}
	if err := s.resolveBeam(); err != nil {
		return err
	}
	if err := s.resolveROI(); err != nil {
		return err
	}
	if err := s.checkStructure(); err != nil {
		return err
	}
	if err := s.checkStepRatios(); err != nil {
		return err
	}
	// Before the sampling fill-in, which turns a negative -mosaic or
	// -dispersion silently into 0.
	if err := s.checkPhysical(); err != nil {
		return err
	}
	s.resolveSampling()
	if err := s.checkFinite(); err != nil {
		return err
	}
	s.resolved = true
	return nil
}

// checkInputs rejects values an -img/-mask header or an option can leave
// impossible before anything is derived from them.
func (s *Settings) checkInputs() error {
	if !(s.PixelSize > 0) {
		return usagef(s.origin("PixelSize", "-pixel"), "pixel size must be positive, got %s", g(s.PixelSize))
	}
	if !(s.Lambda0 > 0) || math.IsInf(s.Lambda0, 0) {
		return usagef(s.origin("Lambda0", "-lambda"), "wavelength must be positive and finite, got %s m", g(s.Lambda0))
	}
	for _, n := range []struct {
		v    int
		name string
	}{{s.Na, "-Na"}, {s.Nb, "-Nb"}, {s.Nc, "-Nc"}} {
		if n.v < 0 {
			return usagef(n.name, "number of unit cells must not be negative, got %d", n.v)
		}
	}
	if s.FPixels < 0 || s.SPixels < 0 {
		return usagef("-detpixels", "pixel counts must be positive, got %dx%d", s.FPixels, s.SPixels)
	}
	if !(s.DetsizeF > 0) || !(s.DetsizeS > 0) {
		return usagef(s.origin("DetsizeF", "-detsize"), "detector size must be positive, got %s x %s m", g(s.DetsizeF), g(s.DetsizeS))
	}
	if s.Oversample < -1 {
		return usagef("-oversample", "oversampling must not be negative, got %d", s.Oversample)
	}
	return nil
}

// resolveDetector is C's detector-size and pixel-count fill-in.
func (s *Settings) resolveDetector() error {
	// The size comes from the pixel counts when they are given.
	option := s.origin("DetsizeF", "-detsize")
	if s.FPixels != 0 || s.SPixels != 0 {
		option = s.origin("FPixels", s.origin("SPixels", "-detpixels"))
	}
	if s.FPixels != 0 {
		s.DetsizeF = s.PixelSize * float64(s.FPixels)
	}
	if s.SPixels != 0 {
		s.DetsizeS = s.PixelSize * float64(s.SPixels)
	}
	f := math.Ceil(s.DetsizeF/s.PixelSize - 0.5)
	sl := math.Ceil(s.DetsizeS/s.PixelSize - 0.5)
	if f < 1 || sl < 1 {
		return usagef(option, "detector (%s x %s m) is smaller than one %s m pixel",
			g(s.DetsizeF), g(s.DetsizeS), g(s.PixelSize))
	}
	if f*sl > imageio.MaxPixels {
		return usagef(option, "detector of %gx%g pixels is too large (at most %d pixels)", f, sl, imageio.MaxPixels)
	}
	s.FPixels, s.SPixels = int(f), int(sl)
	if s.Mask != nil && (s.MaskWidth != s.FPixels || s.MaskHeight != s.SPixels) {
		return usagef("-mask", "mask is %dx%d pixels but the detector is %dx%d", s.MaskWidth, s.MaskHeight, s.FPixels, s.SPixels)
	}
	return nil
}

// resolveBeam is C's fluence / flux / beam-size logic with its clipping
// warnings (checkBeamInputs has made sure the beam size is positive).
func (s *Settings) resolveBeam() error {
	if s.Flux != 0.0 && s.Exposure > 0.0 && s.BeamSize >= 0 {
		s.Fluence = s.Flux * s.Exposure / s.BeamSize / s.BeamSize
		s.set("Fluence", fluenceFromFlux)
	}
	if s.BeamSize >= 0 {
		if s.BeamSize < s.SampleY {
			s.warnf("WARNING: clipping sample (%s m high) with beam (%s m)", g(s.SampleY), g(s.BeamSize))
			s.SampleY = s.BeamSize
		}
		if s.BeamSize < s.SampleZ {
			s.warnf("WARNING: clipping sample (%s m wide) with beam (%s m)", g(s.SampleZ), g(s.BeamSize))
			s.SampleZ = s.BeamSize
		}
	}
	if s.Exposure > 0.0 {
		s.Flux = s.Fluence / s.Exposure * s.BeamSize * s.BeamSize
	}
	return nil
}

// resolveROI applies C's ROI defaults and checks the given limits.
func (s *Settings) resolveROI() error {
	given := s.RoiXMin >= 0 || s.RoiXMax >= 0 || s.RoiYMin >= 0 || s.RoiYMax >= 0
	if given {
		if s.RoiXMin > s.RoiXMax || s.RoiYMin > s.RoiYMax {
			return usagef("-roi", "minimum above maximum in %d %d %d %d", s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax)
		}
		if s.RoiXMax >= s.FPixels || s.RoiYMax >= s.SPixels {
			return usagef("-roi", "%d %d %d %d is outside the %dx%d-pixel detector (fast 0..%d, slow 0..%d)",
				s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax, s.FPixels, s.SPixels, s.FPixels-1, s.SPixels-1)
		}
	}
	if s.RoiXMin < 0 {
		s.RoiXMin = 0
	}
	if s.RoiXMax < 0 {
		s.RoiXMax = s.FPixels
	}
	if s.RoiYMin < 0 {
		s.RoiYMin = 0
	}
	if s.RoiYMax < 0 {
		s.RoiYMax = s.SPixels
	}
	if t := s.TracePixel; t[0] >= 0 && (t[0] >= s.SPixels || t[1] >= s.FPixels) {
		return usagef("-trace_pixel", "pixel (slow %d, fast %d) is outside the %dx%d-pixel detector", t[0], t[1], s.FPixels, s.SPixels)
	}
	return nil
}

// checkStructure is C's test before it prints its usage and exits 9.
func (s *Settings) checkStructure() error {
	if s.MatFile == "" && s.CellAngstrom[0] == 0.0 && s.CrystalVectorsA == nil {
		if s.UserCell {
			return usagef("-cell", "cell edge a must be non-zero (or give -mat)")
		}
		return &UsageError{Msg: "no crystal: give -cell a b c alpha beta gamma or -mat FILE (or -expt_in FILE)"}
	}
	// Whether Fdump.bin can stand in for -hkl and -default_F is decided
	// where it is read (sim), relative to the run's output directory.
	return nil
}

func (s *Settings) warnf(format string, args ...any) {
	s.Warnings = append(s.Warnings, fmt.Sprintf(format, args...))
}

// alertf records a line for stderr (see Settings.Alerts).
func (s *Settings) alertf(format string, args ...any) {
	s.Alerts = append(s.Alerts, fmt.Sprintf(format, args...))
}

// neg1 turns the NaN "not given" marker into C's -1 sentinel.
func neg1(x float64) float64 {
	if math.IsNaN(x) {
		return -1
	}
	return x
}

// resolveSampling is C's default sampling logic and sanity checks.
func (s *Settings) resolveSampling() {
	s.PhiSteps, s.Osc, s.PhiStep = autoPhi(s.PhiSteps, neg1(s.Osc), neg1(s.PhiStep))
	s.HDivRange, s.HDivStep, s.HDivSteps = beam.AutoSteps(neg1(s.HDivRange), neg1(s.HDivStep), s.HDivSteps)
	s.VDivRange, s.VDivStep, s.VDivSteps = beam.AutoSteps(neg1(s.VDivRange), neg1(s.VDivStep), s.VDivSteps)
	s.Dispersion, s.DispStep, s.DispSteps = beam.AutoSteps(s.Dispersion, neg1(s.DispStep), s.DispSteps)
	s.DetectorThickSteps, s.DetectorThick, s.DetectorThickStep =
		autoThick(s.DetectorThickSteps, s.DetectorThick, neg1(s.DetectorThickStep))
	mu := neg1(s.DetectorMu)
	if s.DetectorThick > 0.0 && mu < 0.0 {
		mu = 1.0 / s.DetectorThick
		s.warnf("WARNING: setting detector attenuation depth to %s m", g(mu))
	}
	if mu >= 0 {
		s.DetectorMu = mu
	}
	var warn string
	s.MosaicDomains, s.MosaicSpread, warn = autoMosaic(s.MosaicDomains, neg1(s.MosaicSpread))
	if warn != "" {
		s.Warnings = append(s.Warnings, warn)
	}

	// sanity checks
	if s.HDivRange <= 0.0 || s.HDivStep <= 0.0 || s.HDivSteps <= 0 {
		s.HDivSteps, s.HDivRange, s.HDivStep = 1, 0.0, 0.0
	}
	if s.VDivRange <= 0.0 || s.VDivStep <= 0.0 || s.VDivSteps <= 0 {
		s.VDivSteps, s.VDivRange, s.VDivStep = 1, 0.0, 0.0
	}
	if s.Dispersion <= 0.0 || s.DispStep <= 0.0 || s.DispSteps <= 0 {
		s.DispSteps, s.Dispersion, s.DispStep = 1, 0.0, 0.0
	}
	if s.DetectorThick <= 0.0 || s.DetectorThickStep <= 0.0 || s.DetectorThickSteps <= 0 {
		s.DetectorThickSteps, s.DetectorThick, s.DetectorThickStep = 1, 0.0, 0.0
	}
}

// autoPhi is C's phi-step selection. Negative osc or step mean "not given"
// (C's -1); osc and step are in radians.
func autoPhi(steps int, osc, step float64) (int, float64, float64) {
	if steps < 0 {
		if osc < 0.0 {
			if step <= 0.0 {
				return 1, 0.0, 0.0 // user doesn't care about anything
			}
			return 2, step, step // only a step: one step wide
		}
		if step <= 0.0 {
			return 2, osc, osc / 2.0 // only the range
		}
		return int(math.Ceil(osc / step)), osc, step
	}
	if steps == 0 {
		steps = 1
	}
	if osc < 0.0 {
		if step <= 0.0 {
			osc = 1.0 / rtd // only the number of steps: one degree
			return steps, osc, osc / float64(steps)
		}
		return 2, step, step
	}
	if step < 0.0 {
		step = osc / float64(steps)
	}
	return steps, osc, step
}

// autoThick is C's selection of sensor layers (thickness in metres).
func autoThick(steps int, thick, step float64) (int, float64, float64) {
	if steps <= 0 {
		if thick < 0.0 {
			if step <= 0.0 {
				return 1, 0.0, 0.0
			}
			return 2, step, step
		}
		if step <= 0.0 {
			steps = 2
			return steps, thick, thick / float64(steps)
		}
		return int(math.Ceil(thick / step)), thick, step
	}
	if thick < 0.0 {
		if step <= 0.0 {
			thick = 0.5e-6
			return steps, thick, thick / float64(steps)
		}
		return 2, step, step
	}
	if step <= 0.0 {
		if steps <= 1 {
			steps = 2
		}
		step = thick / float64(steps-1)
	}
	return steps, thick, step
}

// autoMosaic is C's mosaic-domain selection; it returns the WARNING line C
// prints, if any. A negative spread means "not given".
func autoMosaic(domains int, spread float64) (int, float64, string) {
	if domains <= 0 {
		if spread < 0.0 {
			return 1, 0.0, ""
		}
		if spread == 0.0 {
			return 1, spread, ""
		}
		return 10, spread, "WARNING: finite mosaicity with only one domain! upping to 10 mosaic domains"
	}
	if spread < 0.0 {
		return 1, 0.0, "WARNING: no mosaic spread specified.  setting mosaic_domains = 1"
	}
	if spread == 0.0 {
		return 1, spread, "WARNING: zero mosaic spread specified.  setting mosaic_domains = 1"
	}
	return domains, spread, ""
}

// checkFinite makes sure no derived or given quantity is NaN or infinite
// (the beam-centre family may stay NaN, meaning "default").
func (s *Settings) checkFinite() error {
	type q struct {
		v    float64
		name string
	}
	list := []q{
		{s.PixelSize, s.origin("PixelSize", "-pixel")}, {s.DetsizeF, s.origin("DetsizeF", "-detsize")},
		{s.DetsizeS, s.origin("DetsizeS", "-detsize")}, {s.Distance, "-distance"}, {s.Lambda0, s.origin("Lambda0", "-lambda")},
		{s.Fluence, s.origin("Fluence", "-fluence")}, {s.Flux, "-flux"}, {s.Exposure, "-exposure"}, {s.BeamSize, "-beamsize"},
		{s.Phi0, "-phi"}, {s.Osc, "-osc"}, {s.PhiStep, "-phistep"},
		{s.HDivRange, "-hdivrange"}, {s.HDivStep, "-hdivstep"}, {s.VDivRange, "-vdivrange"}, {s.VDivStep, "-vdivstep"},
		{s.Dispersion, "-dispersion"}, {s.DispStep, "-dispersion"},
		{s.DetectorThick, s.origin("DetectorThick", "-detector_thick")}, {s.DetectorThickStep, s.origin("DetectorThick", "-detector_thick")},
		{s.MosaicSpread, "-mosaic"}, {s.SampleX, "-sample_thick"}, {s.SampleY, "-sample_width"}, {s.SampleZ, "-sample_height"},
		{s.Twotheta, "-twotheta"}, {s.Dmin, "-dmin"}, {s.WaterSize, "-water"},
	}
	for _, x := range list {
		if math.IsNaN(x.v) || math.IsInf(x.v, 0) {
			return usagef(x.name, "gives a value that is not finite (%s)", g(x.v))
		}
	}
	if math.IsInf(s.DetectorMu, 0) {
		return usagef(s.origin("DetectorMu", "-detector_abs"), "attenuation is not finite")
	}
	for _, x := range []q{{s.CloseDistance, "-close_distance"}, {s.Xbeam, "-Xbeam"}, {s.Ybeam, "-Ybeam"},
		{s.Xclose, "-Xclose"}, {s.Yclose, "-Yclose"}, {s.ORGX, "-ORGX"}, {s.ORGY, "-ORGY"}} {
		if math.IsInf(x.v, 0) {
			return usagef(x.name, "value is not finite")
		}
	}
	return nil
}
