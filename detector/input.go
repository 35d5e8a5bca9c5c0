package detector

import (
	"fmt"
	"math"

	"gobragg/dual"
)

// Input holds the detector parameters as nanoBragg has them after parsing
// its command line (and any -mask/-img header). Lengths are in metres,
// angles in radians, ORGX/ORGY in pixels. A dual.Num whose value is NaN
// means "not given".
type Input struct {
	Convention Convention
	// Pivot is the pivot as requested (C starts from PivotBeam; -pivot,
	// -Xbeam/-Ybeam/-distance and -Xclose/-Yclose/-ORGX/-ORGY/
	// -close_distance/-twotheta change it in argument order; note the zero
	// value is PivotSample, DefaultInput sets PivotBeam). Conventions
	// other than Custom force their own pivot: MOSFLM, DENZO and ADXV the
	// beam pivot, XDS and DIALS the sample pivot.
	Pivot Pivot
	// KeepPivot keeps Pivot even where the convention would force another
	// (spec mode with an explicit -pivot; nanoBragg.c always forces).
	KeepPivot bool

	FPixels, SPixels     int     // pixel counts along the fast and slow axes
	PixelSizeM           float64 // pixel edge length
	DetsizeFM, DetsizeSM float64 // detector extent along fast and slow axes

	DistanceM      dual.Num // sample to beam-centre distance; NaN: 0.1 m (C's default) unless CloseDistanceM is given
	CloseDistanceM dual.Num // sample to detector plane along the normal; NaN: derived from DistanceM

	XbeamM, YbeamM   dual.Num // direct-beam position (header convention); NaN: convention default
	XcloseM, YcloseM dual.Num // near point; NaN: Fclose, Sclose
	ORGX, ORGY       dual.Num // XDS origin in pixels; sets Fclose, Sclose when given

	RotX, RotY, RotZ dual.Num // detector rotations about lab x, y, z (applied in that order)
	TwoTheta         dual.Num // detector swing about TwoThetaAxis (applied after RotX..RotZ)

	// Axis vectors as parsed (C's defaults when not given, see DefaultInput).
	// Conventions other than Custom overwrite them. TwoThetaAxis is used as
	// given (C never normalizes it); the others are normalized.
	Fdet, Sdet, Odet, Beam, Polar, Spindle, TwoThetaAxis [3]float64

	// Pix0M is the -pix0_vector (metres), used only when HonourPix0 is set.
	Pix0M *[3]dual.Num
	// HonourPix0 selects the spec behaviour in which Pix0M is the detector
	// origin before the detector rotations and two-theta (nanoBragg.c ignores
	// -pix0_vector and always rebuilds the origin).
	HonourPix0 bool
	// Pix0Anchor, with HonourPix0, makes the origin movable as the Custom
	// convention's beam pivot moves it: it holds the distance, Xbeam and
	// Ybeam (metres) that Pix0M implies (see BeamPivotOf), and DistanceM,
	// XbeamM and YbeamM (NaN: the anchor's) place the panel as the beam
	// pivot does, rotations turning it about the direct-beam spot. At the
	// anchor values without rotations the origin is Pix0M bit for bit.
	// Nil: Pix0M is fixed and rotations turn it about the sample.
	Pix0Anchor *[3]float64
}

// DefaultInput returns nanoBragg's detector defaults: MOSFLM convention,
// beam pivot, 1024x1024 pixels of 0.1 mm (102.4 mm square), distance 100 mm,
// no rotations, every optional value NaN and C's initial axis vectors
// (fdet 0 0 1, sdet 0 -1 0, odet 1 0 0, beam 1 0 0, polar 0 0 1,
// spindle 0 0 1, two-theta axis 0 1 0).
func DefaultInput() Input {
	nan := dual.C(math.NaN())
	pixel := 0.1e-3
	return Input{
		Convention:     MOSFLM,
		Pivot:          PivotBeam,
		FPixels:        1024,
		SPixels:        1024,
		PixelSizeM:     pixel,
		DetsizeFM:      102.4e-3,
		DetsizeSM:      102.4e-3,
		DistanceM:      dual.C(100.0e-3),
		CloseDistanceM: nan,
		XbeamM:         nan,
		YbeamM:         nan,
		XcloseM:        nan,
		YcloseM:        nan,
		ORGX:           nan,
		ORGY:           nan,
		RotX:           dual.C(0),
		RotY:           dual.C(0),
		RotZ:           dual.C(0),
		TwoTheta:       dual.C(0),
		Fdet:           [3]float64{0, 0, 1},
		Sdet:           [3]float64{0, -1, 0},
		Odet:           [3]float64{1, 0, 0},
		Beam:           [3]float64{1, 0, 0},
		Polar:          [3]float64{0, 0, 1},
		Spindle:        [3]float64{0, 0, 1},
		TwoThetaAxis:   [3]float64{0, 1, 0},
	}
}

// validate reports the first input that cannot describe a detector.
func (in Input) validate() error {
	if in.Convention < Custom || in.Convention > DENZO {
		return fmt.Errorf("detector convention %d: unknown", int(in.Convention))
	}
	if in.Pivot != PivotSample && in.Pivot != PivotBeam {
		return fmt.Errorf("detector pivot %d: unknown", int(in.Pivot))
	}
	if in.FPixels <= 0 || in.SPixels <= 0 {
		return fmt.Errorf("detector pixels %dx%d: must be positive", in.FPixels, in.SPixels)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"pixel size", in.PixelSizeM}, {"fast detector size", in.DetsizeFM}, {"slow detector size", in.DetsizeSM}} {
		if !(p.v > 0) || math.IsInf(p.v, 0) {
			return fmt.Errorf("detector %s %g m: must be positive and finite", p.name, p.v)
		}
	}
	// Optional values: NaN means "not given", infinities are errors.
	for _, p := range []struct {
		name string
		v    dual.Num
	}{{"distance", in.DistanceM}, {"close distance", in.CloseDistanceM},
		{"Xbeam", in.XbeamM}, {"Ybeam", in.YbeamM}, {"Xclose", in.XcloseM}, {"Yclose", in.YcloseM},
		{"ORGX", in.ORGX}, {"ORGY", in.ORGY}} {
		if math.IsInf(p.v.V, 0) {
			return fmt.Errorf("detector %s %g: must be finite", p.name, p.v.V)
		}
	}
	// Angles are always given.
	for _, p := range []struct {
		name string
		v    dual.Num
	}{{"rotx", in.RotX}, {"roty", in.RotY}, {"rotz", in.RotZ}, {"twotheta", in.TwoTheta}} {
		if math.IsNaN(p.v.V) || math.IsInf(p.v.V, 0) {
			return fmt.Errorf("detector %s %g rad: must be finite", p.name, p.v.V)
		}
	}
	for _, p := range []struct {
		name string
		v    [3]float64
	}{{"fdet_vector", in.Fdet}, {"sdet_vector", in.Sdet}, {"odet_vector", in.Odet}, {"beam_vector", in.Beam},
		{"polar_vector", in.Polar}, {"spindle_axis", in.Spindle}, {"twotheta_axis", in.TwoThetaAxis}} {
		for _, c := range p.v {
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return fmt.Errorf("detector %s %v: components must be finite", p.name, p.v)
			}
		}
	}
	if in.HonourPix0 {
		if in.Pix0M == nil {
			return fmt.Errorf("detector pix0_vector: HonourPix0 set but no vector given")
		}
		for _, c := range in.Pix0M {
			if math.IsNaN(c.V) || math.IsInf(c.V, 0) {
				return fmt.Errorf("detector pix0_vector %v m: components must be finite", pix0Values(in.Pix0M))
			}
		}
	}
	return nil
}

func pix0Values(p *[3]dual.Num) [3]float64 { return [3]float64{p[0].V, p[1].V, p[2].V} }
