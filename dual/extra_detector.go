package dual

// RotateAxisCR is nanoBragg's rotate_axis(): v rotated by phi (radians)
// about the unit vector axis with Rodrigues' formula in C's evaluation
// order, like RotateAxis, but with correctly rounded sine and cosine (as
// glibc's, see SinCR) so that the values equal C's bit for bit.
func (v Vec3) RotateAxisCR(axis Vec3, phi Num) Vec3 {
	s, c := SinCR(phi), CosCR(phi)
	dot := Mul(axis.Dot(v), Sub(C(1), c))
	return Vec3{
		Add(Add(Mul(axis[0], dot), Mul(v[0], c)), Mul(Add(Mul(Neg(axis[2]), v[1]), Mul(axis[1], v[2])), s)),
		Add(Add(Mul(axis[1], dot), Mul(v[1], c)), Mul(Sub(Mul(axis[2], v[0]), Mul(axis[0], v[2])), s)),
		Add(Add(Mul(axis[2], dot), Mul(v[2], c)), Mul(Add(Mul(Neg(axis[1]), v[0]), Mul(axis[0], v[1])), s)),
	}
}
