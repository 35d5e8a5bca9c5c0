package crand

import (
	"math"

	"gobragg/internal/libm"
)

// Umat2Misset returns the missetting angles (rotx, roty, rotz) in radians of
// the rotation matrix umat (row-major), following nanoBragg's umat2misset
// operation for operation: rows are normalised, an all-zero row is replaced
// by the cross product of the other two (twice), rows are normalised again,
// and the angles are read off the last and first rows. When uzx^2 >= 1
// (gimbal lock) it returns (pi, pi/2, atan2(uxy, -uyy)) as C does.
func Umat2Misset(umat [9]float64) [3]float64 {
	uxx, uxy, uxz := umat[0], umat[1], umat[2]
	uyx, uyy, uyz := umat[3], umat[4], umat[5]
	uzx, uzy, uzz := umat[6], umat[7], umat[8]

	norm := func(a, b, c float64) float64 {
		return math.Sqrt(float64(float64(a*a)+float64(b*b)) + float64(c*c))
	}
	div := func(m float64, a, b, c *float64) {
		if m > 0 {
			*a /= m
			*b /= m
			*c /= m
		}
	}

	// make sure it is unitary
	mx := norm(uxx, uxy, uxz)
	my := norm(uyx, uyy, uyz)
	mz := norm(uzx, uzy, uzz)
	div(mx, &uxx, &uxy, &uxz)
	div(my, &uyx, &uyy, &uyz)
	div(mz, &uzx, &uzy, &uzz)

	if mx >= 0 && my <= 0 && mz <= 0 {
		uyx, uyy, uyz = 0, 1, 0
		uzx, uzy, uzz = 0, 0, 1
	}
	if mx <= 0 && my >= 0 && mz <= 0 {
		uxx, uxy, uxz = 1, 0, 0
		uzx, uzy, uzz = 0, 0, 1
	}
	if mx <= 0 && my <= 0 && mz >= 0 {
		uxx, uxy, uxz = 1, 0, 0
		uyx, uyy, uyz = 0, 1, 0
	}

	diff := func(a, b, c, d float64) float64 { return float64(a*b) - float64(c*d) }
	// C does the cross-product repair twice; the second pass sees the
	// substitutions of the first.
	for pass := 0; pass < 2; pass++ {
		xcyX := diff(uxy, uyz, uxz, uyy)
		xcyY := diff(uxz, uyx, uxx, uyz)
		xcyZ := diff(uxx, uyy, uxy, uyx)
		div(norm(xcyX, xcyY, xcyZ), &xcyX, &xcyY, &xcyZ)

		yczX := diff(uyy, uzz, uyz, uzy)
		yczY := diff(uyz, uzx, uyx, uzz)
		yczZ := diff(uyx, uzy, uyy, uzx)
		div(norm(yczX, yczY, yczZ), &yczX, &yczY, &yczZ)

		zcxX := diff(uzy, uxz, uzz, uxy)
		zcxY := diff(uzz, uxx, uzx, uxz)
		zcxZ := diff(uzx, uxy, uzy, uxx)
		div(norm(zcxX, zcxY, zcxZ), &zcxX, &zcxY, &zcxZ)

		if mx <= 0 {
			uxx, uxy, uxz = yczX, yczY, yczZ
		}
		if my <= 0 {
			uyx, uyy, uyz = zcxX, zcxY, zcxZ
		}
		if mz <= 0 {
			uzx, uzy, uzz = xcyX, xcyY, xcyZ
		}
	}

	// make sure it is unitary
	mx = norm(uxx, uxy, uxz)
	my = norm(uyx, uyy, uyz)
	mz = norm(uzx, uzy, uzz)
	div(mx, &uxx, &uxy, &uxz)
	div(my, &uyx, &uyy, &uyz)
	div(mz, &uzx, &uzy, &uzz)

	var rotx, roty, rotz float64
	if float64(uzx*uzx) < 1.0 {
		rotx = libm.Atan2(uzy, uzz)
		roty = libm.Atan2(-uzx, math.Sqrt(float64(uzy*uzy)+float64(uzz*uzz)))
		rotz = libm.Atan2(uyx, uxx)
	} else {
		rotx = math.Pi // atan2(1,1)*4
		roty = math.Pi / 2
		rotz = libm.Atan2(uxy, -uyy)
	}
	return [3]float64{rotx, roty, rotz}
}

// RandomMisset returns the crystal missetting angles (rotx, roty, rotz,
// radians) that nanoBragg's "-misset random" produces: one
// mosaic_rotation_umat draw for a cap of 90 (radians, i.e. the whole sphere)
// from *seed, converted by umat2misset. nanoBragg prints them in degrees.
func RandomMisset(g *Generator, seed *int64) [3]float64 {
	return Umat2Misset(g.MosaicRotationUmat(90.0, seed))
}
