package dual

// Vec3 is a 3-vector of dual numbers. Component order is x, y, z.
// Operations keep nanoBragg's evaluation order so that their values equal
// the C program's bit for bit.
type Vec3 [3]Num

// V3 returns the constant vector (x, y, z).
func V3(x, y, z float64) Vec3 { return Vec3{C(x), C(y), C(z)} }

// Values returns the plain float64 components.
func (v Vec3) Values() [3]float64 { return [3]float64{v[0].V, v[1].V, v[2].V} }

// Dot returns v.w evaluated as v0*w0 + v1*w1 + v2*w2 (left to right).
func (v Vec3) Dot(w Vec3) Num {
	return Add(Add(Mul(v[0], w[0]), Mul(v[1], w[1])), Mul(v[2], w[2]))
}

// Cross returns v x w as nanoBragg's cross_product computes it.
func (v Vec3) Cross(w Vec3) Vec3 {
	return Vec3{
		Sub(Mul(v[1], w[2]), Mul(v[2], w[1])),
		Sub(Mul(v[2], w[0]), Mul(v[0], w[2])),
		Sub(Mul(v[0], w[1]), Mul(v[1], w[0])),
	}
}

// Add returns v + w.
func (v Vec3) Add(w Vec3) Vec3 { return Vec3{Add(v[0], w[0]), Add(v[1], w[1]), Add(v[2], w[2])} }

// Sub returns v - w.
func (v Vec3) Sub(w Vec3) Vec3 { return Vec3{Sub(v[0], w[0]), Sub(v[1], w[1]), Sub(v[2], w[2])} }

// Scale returns s*v, each component computed as s*v_i.
func (v Vec3) Scale(s Num) Vec3 { return Vec3{Mul(s, v[0]), Mul(s, v[1]), Mul(s, v[2])} }

// Norm returns |v| = sqrt(v0*v0 + v1*v1 + v2*v2).
func (v Vec3) Norm() Num { return Sqrt(v.Dot(v)) }

// Unit returns v/|v| and |v|, as nanoBragg's unitize does (component / mag).
// A zero vector gives the zero vector and magnitude 0.
func (v Vec3) Unit() (Vec3, Num) {
	m := v.Norm()
	if m.V == 0 {
		return Vec3{C(0), C(0), C(0)}, m
	}
	return Vec3{Div(v[0], m), Div(v[1], m), Div(v[2], m)}, m
}

// Rescale returns v scaled to magnitude m, as nanoBragg's vector_rescale:
// component * (m / |v|); a zero vector is treated as having magnitude 1.
func (v Vec3) Rescale(m Num) Vec3 {
	old := v.Norm()
	if old.V <= 0 {
		old = C(1)
	}
	f := Div(m, old)
	return Vec3{Mul(f, v[0]), Mul(f, v[1]), Mul(f, v[2])}
}

// RotateXYZ is nanoBragg's rotate(): v rotated about the lab x, then y,
// then z axis by the given angles (radians), with glibc's (correctly
// rounded) sine and cosine so that the values equal C's bit for bit. As in C
// an axis whose angle is exactly zero leaves the value untouched; its
// partials are still taken into account (first-order term of the rotation
// at 0), so a seeded angle that starts at 0 has the right gradient.
func (v Vec3) RotateXYZ(rx, ry, rz Num) Vec3 {
	x, y, z := v[0], v[1], v[2]
	y, z = turn(y, z, rx)
	if ry.V != 0 || ry.D != nil {
		s, c := sincos(ry)
		// the zero terms of C's matrix are kept so the sums round as in C
		nx := Add(Add(Mul(x, c), Mul(y, C(0))), Mul(z, s))
		nz := Add(Add(Mul(x, Neg(s)), Mul(y, C(0))), Mul(z, c))
		if ry.V == 0 {
			nx.V, nz.V = x.V, z.V
		}
		x, z = nx, nz
	}
	x, y = turn(x, y, rz)
	return Vec3{x, y, z}
}

// turn returns (a cos t - b sin t, a sin t + b cos t), the rotation about
// the x axis (a, b = y, z) or the z axis (a, b = x, y) in rotate()'s order,
// with RotateXYZ's treatment of an angle that is exactly zero.
func turn(a, b, t Num) (Num, Num) {
	if t.V == 0 && t.D == nil {
		return a, b
	}
	s, c := sincos(t)
	na := Add(Mul(a, c), Mul(b, Neg(s)))
	nb := Add(Mul(a, s), Mul(b, c))
	if t.V == 0 {
		na.V, nb.V = a.V, b.V
	}
	return na, nb
}

// RotateAxis is nanoBragg's rotate_axis(): v rotated by phi (radians) about
// the unit vector axis with Rodrigues' formula in C's evaluation order, with
// glibc's (correctly rounded) sine and cosine so that the values equal C's
// bit for bit.
func (v Vec3) RotateAxis(axis Vec3, phi Num) Vec3 {
	s, c := sincos(phi)
	dot := Mul(axis.Dot(v), Sub(C(1), c))
	return Vec3{
		Add(Add(Mul(axis[0], dot), Mul(v[0], c)), Mul(Add(Mul(Neg(axis[2]), v[1]), Mul(axis[1], v[2])), s)),
		Add(Add(Mul(axis[1], dot), Mul(v[1], c)), Mul(Sub(Mul(axis[2], v[0]), Mul(axis[0], v[2])), s)),
		Add(Add(Mul(axis[2], dot), Mul(v[2], c)), Mul(Add(Mul(Neg(axis[1]), v[0]), Mul(axis[0], v[1])), s)),
	}
}

// Mat3 is a 3x3 matrix stored row-major, as nanoBragg's umat[9].
type Mat3 [9]Num

// Identity3 is the 3x3 identity with no derivatives.
func Identity3() Mat3 {
	one, zero := C(1), C(0)
	return Mat3{one, zero, zero, zero, one, zero, zero, zero, one}
}

// Apply returns M v with nanoBragg's rotate_umat evaluation order.
func (m Mat3) Apply(v Vec3) Vec3 {
	return Vec3{
		Add(Add(Mul(m[0], v[0]), Mul(m[1], v[1])), Mul(m[2], v[2])),
		Add(Add(Mul(m[3], v[0]), Mul(m[4], v[1])), Mul(m[5], v[2])),
		Add(Add(Mul(m[6], v[0]), Mul(m[7], v[1])), Mul(m[8], v[2])),
	}
}
