package detector

import (
	"fmt"
	"math"

	"gobragg/dual"
)

// dblMin is C's DBL_MIN, the smallest normal double, which nanoBragg uses
// in place of a zero beam/normal ratio.
const dblMin = 0x1p-1022

// defaultDistanceM is nanoBragg's default sample-to-detector distance.
const defaultDistanceM = 100.0e-3

// Geometry is the detector as nanoBragg uses it for rendering. Lengths are
// in metres, ORGX/ORGY in pixels, DialsOriginMM in millimetres.
type Geometry struct {
	Convention Convention
	// Pivot is the pivot in effect; RequestedPivot the one asked for.
	// PivotForced is true when the convention overrode the request.
	Pivot, RequestedPivot Pivot
	PivotForced           bool

	// Pix0 is the vector from the sample to the corner of the first pixel;
	// Fdet, Sdet, Odet the rotated unit fast, slow and normal axes; Beam the
	// unit incident beam direction.
	Pix0, Fdet, Sdet, Odet, Beam dual.Vec3
	// Polar and Spindle are unit vectors; Vert = unit(Beam x Polar);
	// TwoThetaAxis is the axis exactly as used (never normalized).
	Polar, Spindle, Vert, TwoThetaAxis [3]float64

	// Ratio is Beam . Odet after the x, y, z rotations but before two-theta
	// (DBL_MIN if that is exactly zero); Distance = CloseDistance / Ratio.
	Ratio                     dual.Num
	DistanceM, CloseDistanceM dual.Num
	// Direct-beam spot and near point in detector coordinates after rotation.
	FbeamM, SbeamM, FcloseM, ScloseM dual.Num
	// Beam centre and near point as C prints them and writes to the header
	// (after convention defaults, before rotation).
	XbeamM, YbeamM, XcloseM, YcloseM float64
	ORGX, ORGY                       dual.Num
	DialsOriginMM                    [3]dual.Num

	DetsizeFM, DetsizeSM, PixelSizeM float64
	FPixels, SPixels                 int
	// Warnings are the lines C prints while setting up the axes, before its
	// banner (e.g. "WARNING: auto-generating odet_vector").
	Warnings []string
}

// Build computes the detector geometry from in exactly as nanoBragg.c does
// (or, with in.HonourPix0, taking in.Pix0M as the unrotated origin). It
// returns an error for non-positive pixel counts or sizes, NaN or infinite
// values where a value is required, and zero-length axis vectors.
func Build(in Input) (Geometry, error) {
	if err := in.validate(); err != nil {
		return Geometry{}, err
	}
	pixel := in.PixelSizeM
	isNaN := func(x dual.Num) bool { return math.IsNaN(x.V) }
	g := Geometry{
		Convention:     in.Convention,
		Pivot:          in.Pivot,
		RequestedPivot: in.Pivot,
		DetsizeFM:      in.DetsizeFM,
		DetsizeSM:      in.DetsizeSM,
		PixelSizeM:     pixel,
		FPixels:        in.FPixels,
		SPixels:        in.SPixels,
	}

	// Near point from ORGX/ORGY, else the detector centre.
	fclose, sclose := dual.C(math.NaN()), dual.C(math.NaN())
	if !isNaN(in.ORGX) {
		fclose = dual.Mul(dual.Sub(in.ORGX, dual.C(0.5)), dual.C(pixel))
	}
	if !isNaN(in.ORGY) {
		sclose = dual.Mul(dual.Sub(in.ORGY, dual.C(0.5)), dual.C(pixel))
	}
	if isNaN(fclose) {
		fclose = dual.C((in.DetsizeFM - 0*pixel) / 2.0)
	}
	if isNaN(sclose) {
		sclose = dual.C((in.DetsizeSM + 0*pixel) / 2.0)
	}
	xclose, yclose := in.XcloseM, in.YcloseM
	if isNaN(xclose) {
		xclose = fclose
	}
	if isNaN(yclose) {
		yclose = sclose
	}
	fbeam, sbeam := fclose, sclose
	xbeam, ybeam := in.XbeamM, in.YbeamM

	// Convention defaults, vectors and forced pivots.
	vec := axes{beam: in.Beam, fdet: in.Fdet, sdet: in.Sdet, odet: in.Odet,
		twotheta: in.TwoThetaAxis, polar: in.Polar, spindle: in.Spindle}
	if a, ok := conventionAxes(in.Convention); ok {
		vec = a
	}
	if p, ok := ForcedPivot(in.Convention); ok && !in.KeepPivot {
		g.Pivot = p
		g.PivotForced = p != in.Pivot
	}
	switch in.Convention {
	case ADXV:
		if isNaN(xbeam) {
			xbeam = dual.C((in.DetsizeFM + pixel) / 2.0)
		}
		if isNaN(ybeam) {
			ybeam = dual.C((in.DetsizeSM - pixel) / 2.0)
		}
		fbeam = xbeam
		sbeam = dual.Sub(dual.C(in.DetsizeSM), ybeam)
	case MOSFLM, DENZO:
		if isNaN(xbeam) {
			xbeam = dual.C((in.DetsizeSM + pixel) / 2.0)
		}
		if isNaN(ybeam) {
			ybeam = dual.C((in.DetsizeFM + pixel) / 2.0)
		}
		shift := 0.5
		if in.Convention == DENZO {
			shift = 0.0
		}
		fbeam = dual.Add(ybeam, dual.C(shift*pixel))
		sbeam = dual.Add(xbeam, dual.C(shift*pixel))
	case XDS, DIALS, Custom:
		if isNaN(xbeam) {
			xbeam = xclose
		}
		if isNaN(ybeam) {
			ybeam = yclose
		}
		fbeam, sbeam = xbeam, ybeam
		if in.Convention == Custom {
			fclose, sclose = xbeam, ybeam
		}
	}
	g.XbeamM, g.YbeamM, g.XcloseM, g.YcloseM = xbeam.V, ybeam.V, xclose.V, yclose.V

	// Straighten up the vectors.
	beam, err := unitAxis("beam_vector", vec.beam)
	if err != nil {
		return Geometry{}, err
	}
	fdet, err := unitAxis("fdet_vector", vec.fdet)
	if err != nil {
		return Geometry{}, err
	}
	sdet, err := unitAxis("sdet_vector", vec.sdet)
	if err != nil {
		return Geometry{}, err
	}
	odet, mag := dual.V3(vec.odet[0], vec.odet[1], vec.odet[2]).Unit()
	if mag.V != 1.0 {
		g.Warnings = append(g.Warnings, "WARNING: auto-generating odet_vector")
		odet, mag = fdet.Cross(sdet).Unit()
		if mag.V == 0 {
			return Geometry{}, fmt.Errorf("detector fdet_vector %v and sdet_vector %v: parallel, cannot generate odet_vector", vec.fdet, vec.sdet)
		}
	}
	polar, err := unitAxis("polar_vector", vec.polar)
	if err != nil {
		return Geometry{}, err
	}
	spindle, err := unitAxis("spindle_axis", vec.spindle)
	if err != nil {
		return Geometry{}, err
	}
	vert, _ := beam.Cross(polar).Unit()
	if in.TwoTheta.V != 0 && vec.twotheta == [3]float64{} {
		return Geometry{}, fmt.Errorf("detector twotheta_axis %v: zero length with twotheta %g rad", vec.twotheta, in.TwoTheta.V)
	}
	ttAxis := dual.V3(vec.twotheta[0], vec.twotheta[1], vec.twotheta[2])
	g.Beam = beam
	g.Polar, g.Spindle, g.Vert, g.TwoThetaAxis = polar.Values(), spindle.Values(), vert.Values(), vec.twotheta

	// Relationship between the two beam centres.
	distance := in.DistanceM
	if isNaN(distance) {
		distance = dual.C(defaultDistanceM)
	}
	ratio := beam.Dot(odet.RotateXYZ(in.RotX, in.RotY, in.RotZ))
	if ratio.V == 0 {
		ratio.V = dblMin
	}
	closeDistance := in.CloseDistanceM
	if isNaN(closeDistance) {
		closeDistance = dual.Abs(dual.Mul(ratio, distance))
	}
	distance = dual.Div(closeDistance, ratio)

	var pix0 dual.Vec3
	switch {
	case in.HonourPix0:
		pix0 = dual.Vec3(*in.Pix0M)
		pix0 = pix0.RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(ttAxis, in.TwoTheta)
	case g.Pivot == PivotSample:
		for i := range pix0 {
			pix0[i] = dual.Add(dual.Sub(dual.Mul(dual.Neg(fclose), fdet[i]), dual.Mul(sclose, sdet[i])), dual.Mul(closeDistance, odet[i]))
		}
		pix0 = pix0.RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(ttAxis, in.TwoTheta)
	}
	// Orient the detector plane.
	fdet = fdet.RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(ttAxis, in.TwoTheta)
	sdet = sdet.RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(ttAxis, in.TwoTheta)
	odet = odet.RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(ttAxis, in.TwoTheta)
	if in.HonourPix0 && in.Pix0Anchor != nil {
		turnedBeam := beam.RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(ttAxis, in.TwoTheta)
		pix0 = moveAnchored(pix0, *in.Pix0Anchor, in, beam, turnedBeam, fdet, sdet)
	}
	if !in.HonourPix0 && g.Pivot == PivotBeam {
		for i := range pix0 {
			pix0[i] = dual.Add(dual.Sub(dual.Mul(dual.Neg(fbeam), fdet[i]), dual.Mul(sbeam, sdet[i])), dual.Mul(distance, beam[i]))
		}
	}

	// Point of closest approach and the direct beam after rotation.
	fclose = dual.Neg(pix0.Dot(fdet))
	sclose = dual.Neg(pix0.Dot(sdet))
	closeDistance = pix0.Dot(odet)
	var toBeam dual.Vec3
	for i := range toBeam {
		toBeam[i] = dual.Sub(dual.Mul(dual.Div(closeDistance, ratio), beam[i]), pix0[i])
	}
	fbeam = fdet.Dot(toBeam)
	sbeam = sdet.Dot(toBeam)
	distance = dual.Div(closeDistance, ratio)

	g.Pix0, g.Fdet, g.Sdet, g.Odet = pix0, fdet, sdet, odet
	g.Ratio, g.DistanceM, g.CloseDistanceM = ratio, distance, closeDistance
	g.FbeamM, g.SbeamM, g.FcloseM, g.ScloseM = fbeam, sbeam, fclose, sclose
	g.ORGX = dual.Add(dual.Div(fclose, dual.C(pixel)), dual.C(0.5))
	g.ORGY = dual.Add(dual.Div(sclose, dual.C(pixel)), dual.C(0.5))
	for i, axis := range [3]dual.Vec3{dual.V3(0, 0, 1), dual.V3(0, 1, 0), dual.V3(-1, 0, 0)} {
		g.DialsOriginMM[i] = dual.Scale(1000.0, pix0.Dot(axis))
	}
	return g, nil
}

// BeamPivotOf returns the distance along the beam, and the direct-beam
// spot's fast and slow coordinates (Xbeam, Ybeam in the Custom convention),
// that an origin pix0 (metres) implies for unit axes fdet, sdet, odet and
// beam: the values for which nanoBragg's beam pivot,
// pix0 = -Xbeam fdet - Ybeam sdet + distance beam, gives pix0 again. ok is
// false when the panel plane does not face the beam (beam . odet <= 0).
func BeamPivotOf(pix0, fdet, sdet, odet, beam [3]float64) (distanceM, xbeamM, ybeamM float64, ok bool) {
	along, distanceM, xbeamM, ybeamM := beamHit(r3Of(pix0), r3Of(fdet), r3Of(sdet), r3Of(odet), r3Of(beam))
	if !(along > 0) {
		return 0, 0, 0, false
	}
	ok = distanceM > 0 && !math.IsInf(distanceM, 0)
	return distanceM, xbeamM, ybeamM, ok
}

// moveAnchored turns the anchored origin pix0 (already rotated, R pix0)
// into nanoBragg's beam-pivot origin -Xbeam fdet - Ybeam sdet + distance
// beam (fdet, sdet rotated) for in's distance and beam centre. Since the
// anchor is that origin at the anchor values before rotation, this is
// R pix0 + dd beam - dx fdet - dy sdet + d0 (beam - R beam), with dd, dx,
// dy the offsets from the anchor and d0 its distance: the panel slides
// along the beam and in its plane, and rotations turn it about the beam
// spot, as the beam pivot does. A zero move leaves each component's value
// untouched (even a signed zero), so the anchor renders exactly as the
// fixed origin, while the partials still flow.
func moveAnchored(pix0 dual.Vec3, anchor [3]float64, in Input, beam, turnedBeam, fdet, sdet dual.Vec3) dual.Vec3 {
	offset := func(v dual.Num, at float64) dual.Num {
		if math.IsNaN(v.V) {
			return dual.C(0)
		}
		return dual.Sub(v, dual.C(at))
	}
	dd := offset(in.DistanceM, anchor[0])
	dx := offset(in.XbeamM, anchor[1])
	dy := offset(in.YbeamM, anchor[2])
	d0 := dual.C(anchor[0])
	for i := range pix0 {
		move := dual.Sub(dual.Sub(dual.Mul(dd, beam[i]), dual.Mul(dx, fdet[i])), dual.Mul(dy, sdet[i]))
		move = dual.Add(move, dual.Mul(d0, dual.Sub(beam[i], turnedBeam[i])))
		v := pix0[i].V
		pix0[i] = dual.Add(pix0[i], move)
		if move.V == 0 {
			pix0[i].V = v
		}
	}
	return pix0
}

// unitAxis normalizes v as nanoBragg's unitize, rejecting a zero vector.
func unitAxis(name string, v [3]float64) (dual.Vec3, error) {
	u, mag := dual.V3(v[0], v[1], v[2]).Unit()
	if mag.V == 0 {
		return dual.Vec3{}, fmt.Errorf("detector %s %v: zero length", name, v)
	}
	return u, nil
}

// IncidentBeamInDetector returns the beam direction in the detector frame
// (Beam.Fdet, Beam.Sdet, Beam.Odet), which C prints as "XDS incident beam".
func (g Geometry) IncidentBeamInDetector() [3]float64 {
	return [3]float64{g.Beam.Dot(g.Fdet).V, g.Beam.Dot(g.Sdet).V, g.Beam.Dot(g.Odet).V}
}
