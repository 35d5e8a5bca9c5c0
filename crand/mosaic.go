package crand

import (
	"math"

	"gobragg/dual"
	"gobragg/internal/libm"
)

// MosaicDraw draws the three uniform deviates on [-1, 1] that nanoBragg's
// mosaic_rotation_umat starts with, each computed in float64 as
// 2.0*ran1 - 1.0, in the order r1, r2, r3.
func (g *Generator) MosaicDraw(idum *int64) (r1, r2, r3 float64) {
	r1 = 2.0*float64(g.Ran1(idum)) - 1.0
	r2 = 2.0*float64(g.Ran1(idum)) - 1.0
	r3 = 2.0*float64(g.Ran1(idum)) - 1.0
	return r1, r2, r3
}

// capFactor returns powf(1-r3*r3, 1/3) as C evaluates it: both arguments
// are rounded to float32 and glibc's single-precision power is used.
func capFactor(r3 float64) float32 {
	base := float32(1.0 - float64(r3*r3))
	return libm.Powf(base, float32(1.0/3.0))
}

// MosaicUmat returns the rotation matrix (row-major, as C's umat[9]) that
// nanoBragg's mosaic_rotation_umat builds from the deviates r1, r2, r3 of
// MosaicDraw for a spherical cap of angular size mosaicityRad (radians; 90
// rad is used for a random orientation). The rotation axis is the point
// (sqrt(1-r2^2) sin(pi r1), sqrt(1-r2^2) cos(pi r1), r2) of the unit sphere
// and the angle is rot = mosaicity * (1-r3^2)^(1/3).
//
// C receives the mosaicity as a float parameter, so its value is rounded to
// float32 and rot is the float32 product mosaicity*powf(...), widened to
// float64; the value here reproduces that exactly. The rounding of the
// spread to float32 is a step function; its derivative is taken as that of
// the unrounded product, so d rot/d mosaicity is the float32 power factor
// (1-r3^2)^(1/3). The remaining terms are evaluated in dual arithmetic in
// C's order with sine and cosine rounded correctly, as glibc's nearly
// always are, so every .V equals C's umat entry (see internal/libm for the
// rare exceptions).
func MosaicUmat(mosaicityRad dual.Num, r1, r2, r3 float64) dual.Mat3 {
	xyrad := math.Sqrt(1.0 - float64(r2*r2))
	p := capFactor(r3)
	rot := dual.Num{
		V: float64(float32(mosaicityRad.V) * p),
		D: dual.Scale(float64(p), mosaicityRad).D,
	}

	sinPiR1, cosPiR1 := libm.Sincos(math.Pi * r1)
	return axisTurn(xyrad*sinPiR1, xyrad*cosPiR1, r2, rot)
}

// axisTurn returns the rotation matrix (row-major) of angle rot (radians)
// about the unit axis (x, y, z), with the terms in C's order.
func axisTurn(x, y, z float64, rot dual.Num) dual.Mat3 {
	v1, v2, v3 := dual.C(x), dual.C(y), dual.C(z)

	t1 := dual.Cos(rot)
	t2 := dual.Sub(dual.C(1.0), t1)
	t3 := dual.Mul(v1, v1)
	t6 := dual.Mul(t2, v1)
	t7 := dual.Mul(t6, v2)
	t8 := dual.Sin(rot)
	t9 := dual.Mul(t8, v3)
	t11 := dual.Mul(t6, v3)
	t12 := dual.Mul(t8, v2)
	t15 := dual.Mul(v2, v2)
	t19 := dual.Mul(dual.Mul(t2, v2), v3)
	t20 := dual.Mul(t8, v1)
	t24 := dual.Mul(v3, v3)

	return dual.Mat3{
		dual.Add(t1, dual.Mul(t2, t3)),
		dual.Sub(t7, t9),
		dual.Add(t11, t12),
		dual.Add(t7, t9),
		dual.Add(t1, dual.Mul(t2, t15)),
		dual.Sub(t19, t20),
		dual.Sub(t11, t12),
		dual.Add(t19, t20),
		dual.Add(t1, dual.Mul(t2, t24)),
	}
}

// MosaicRotationUmat draws three deviates from *idum and returns the value of
// the mosaic rotation matrix for a cap of mosaicity radians, exactly as one
// call of nanoBragg's mosaic_rotation_umat.
func (g *Generator) MosaicRotationUmat(mosaicity float32, idum *int64) [9]float64 {
	r1, r2, r3 := g.MosaicDraw(idum)
	m := MosaicUmat(dual.C(float64(mosaicity)), r1, r2, r3)
	var u [9]float64
	for i, x := range m {
		u[i] = x.V
	}
	return u
}
