package dual

// SinCR returns sin(x) with the value rounded correctly to float64, as
// glibc's sin (which nanoBragg calls) returns it; math.Sin is often an ulp
// off. The partials are those of sin.
func SinCR(x Num) Num { return Num{crSin(x.V), scaleD(crCos(x.V), x.D)} }

// CosCR returns cos(x) with the value rounded correctly to float64 (see
// SinCR).
func CosCR(x Num) Num { return Num{crCos(x.V), scaleD(-crSin(x.V), x.D)} }

// Atan2CR returns atan2(y, x) with the value rounded correctly to float64
// (see SinCR); partials as Atan2.
func Atan2CR(y, x Num) Num {
	a := Atan2(y, x)
	a.V = crAtan2(y.V, x.V)
	return a
}

// RotateXYZCR is nanoBragg's rotate(): v rotated about the lab x, then y,
// then z axis, with glibc's (correctly rounded) sine and cosine so the
// values equal C's bit for bit. As in C an axis whose angle is exactly zero
// leaves the value untouched; its partials are still taken into account
// (first-order term of the rotation at 0), so a seeded angle that starts at
// 0 has the right gradient.
func (v Vec3) RotateXYZCR(rx, ry, rz Num) Vec3 {
	x, y, z := v[0], v[1], v[2]
	if rx.V != 0 || rx.D != nil {
		c, s := CosCR(rx), SinCR(rx)
		ny := Add(Mul(y, c), Mul(z, Neg(s)))
		nz := Add(Mul(y, s), Mul(z, c))
		if rx.V == 0 {
			ny.V, nz.V = y.V, z.V
		}
		y, z = ny, nz
	}
	if ry.V != 0 || ry.D != nil {
		c, s := CosCR(ry), SinCR(ry)
		// the zero terms of C's matrix are kept so the sums round as in C
		nx := Add(Add(Mul(x, c), Mul(y, C(0))), Mul(z, s))
		nz := Add(Add(Mul(x, Neg(s)), Mul(y, C(0))), Mul(z, c))
		if ry.V == 0 {
			nx.V, nz.V = x.V, z.V
		}
		x, z = nx, nz
	}
	if rz.V != 0 || rz.D != nil {
		c, s := CosCR(rz), SinCR(rz)
		nx := Add(Mul(x, c), Mul(y, Neg(s)))
		ny := Add(Mul(x, s), Mul(y, c))
		if rz.V == 0 {
			nx.V, ny.V = x.V, y.V
		}
		x, y = nx, ny
	}
	return Vec3{x, y, z}
}
