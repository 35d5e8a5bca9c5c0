package physics

import "gobragg/internal/libm"

// RotateAxis rotates v by phi (radians) about the unit vector axis with
// Rodrigues' formula in nanoBragg's rotate_axis evaluation order and glibc's
// (correctly rounded) sine and cosine, so the result is C's bit for bit.
func RotateAxis(v, axis [3]float64, phi float64) [3]float64 {
	sinphi, cosphi := libm.Sincos(phi)
	dot := (axis[0]*v[0] + axis[1]*v[1] + axis[2]*v[2]) * (1.0 - cosphi)
	return [3]float64{
		axis[0]*dot + v[0]*cosphi + (-axis[2]*v[1]+axis[1]*v[2])*sinphi,
		axis[1]*dot + v[1]*cosphi + (+axis[2]*v[0]-axis[0]*v[2])*sinphi,
		axis[2]*dot + v[2]*cosphi + (-axis[1]*v[0]+axis[0]*v[1])*sinphi,
	}
}
