package gradcheck

import (
	"math"
	"strings"
)

// DefaultSteps are the relative step candidates: 1e-2 down to 1e-7 times
// the parameter's scale.
var DefaultSteps = []float64{1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7}

// MosaicSteps are the default step candidates of the mosaic spread. C
// nanoBragg (and so the graph, in both modes) rounds the spread times each
// domain's factor to float32 when it builds the domain rotations, so the
// loss is a staircase whose treads are up to 2^-23 (1.2e-7) of the value
// wide: a central difference only sees the slope when h is far above that
// (the rounding error is about 6e-8/step relative), hence no step below
// 1e-4.
var MosaicSteps = []float64{1e-2, 3e-3, 1e-3, 3e-4, 1e-4}

// Default tolerances.
const (
	// DefaultRelTol is the bar: |analytic - numeric| at most 1e-4
	// of the larger of the two.
	DefaultRelTol = 1e-4
	// DefaultAbsTol is the absolute floor, in units of |loss| / scale: a
	// derivative that changes the loss by less than 1e-13 of itself (some
	// hundred float64 roundings) over the parameter's scale is numerically
	// zero.
	DefaultAbsTol = 1e-13
	// DefaultPixels is the number of candidate pixels examined for the
	// worst pixel.
	DefaultPixels = 3
)

// Settings choose how Check differentiates. Zero fields take the defaults.
type Settings struct {
	// Steps are the relative step candidates, largest first; the absolute
	// step is Steps[i] * Scale(name, value).
	Steps []float64
	// ParamSteps overrides Steps for the named parameters. Nil means
	// {"mosaic": MosaicSteps}; give an empty map to use Steps everywhere.
	ParamSteps map[string][]float64
	// Scale returns the scale a relative step multiplies, in the
	// parameter's units. Nil means DefaultScale.
	Scale func(name string, value float64) float64
	// RelTol is the largest relative error that passes.
	RelTol float64
	// AbsTol is the absolute floor for derivatives that are zero: a result
	// also passes when |analytic - numeric| <= AbsTol * |loss| / scale.
	AbsTol float64
	// Pixels is the number of candidate pixels (largest |finite
	// difference|) whose analytic derivative is computed to find the worst
	// pixel. Negative skips the search; it needs a PixelTarget.
	Pixels int
	// PixelRelTol, when positive, also fails a parameter whose worst pixel
	// has a larger relative error. Zero only reports the worst pixel.
	PixelRelTol float64
}

func (s Settings) withDefaults() Settings {
	if len(s.Steps) == 0 {
		s.Steps = DefaultSteps
	}
	if s.ParamSteps == nil {
		s.ParamSteps = map[string][]float64{"mosaic": MosaicSteps}
	}
	if s.Scale == nil {
		s.Scale = DefaultScale
	}
	if s.RelTol == 0 {
		s.RelTol = DefaultRelTol
	}
	if s.AbsTol == 0 {
		s.AbsTol = DefaultAbsTol
	}
	if s.Pixels == 0 {
		s.Pixels = DefaultPixels
	}
	return s
}

func (s Settings) steps(name string) []float64 {
	if st, ok := s.ParamSteps[name]; ok && len(st) > 0 {
		return st
	}
	return s.Steps
}

// TypicalScale returns the typical size of a gobragg graph parameter in its
// SI graph units: 1e-3 rad for angles, 1e-5 m for detector lengths, 1e-6 m
// for the water thickness, 1e-12 m for the wavelength, 1e-3 for A-matrix
// entries (1/Angstrom scaled by lambda), 1 for cell lengths (Angstrom), N,
// ORGX/ORGY (pixels), polarization, fudge, structure factors and anything
// else.
func TypicalScale(name string) float64 {
	switch name {
	case "cell_alpha", "cell_beta", "cell_gamma", "misset_x", "misset_y", "misset_z",
		"phi", "phistep", "mosaic", "mosaic_spindle", "detector_rotx", "detector_roty", "detector_rotz", "twotheta":
		return 1e-3
	case "distance", "close_distance", "Xbeam", "Ybeam", "Xclose", "Yclose":
		return 1e-5
	case "water":
		return 1e-6
	case "lambda":
		return 1e-12
	}
	if strings.HasPrefix(name, "mat_") {
		return 1e-3
	}
	return 1
}

// DefaultScale is max(|value|, TypicalScale(name)): steps are relative to
// the value unless it is small (or zero) for its kind.
func DefaultScale(name string, value float64) float64 {
	return math.Max(math.Abs(value), TypicalScale(name))
}
