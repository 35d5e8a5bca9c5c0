package physics

// Six sines side by side: the numerators and denominators of
// F_latt's three sincg factors. Written out lane by lane, so
// that the six polynomials overlap in the pipeline and no value is spilled
// across a call; each lane computes exactly sinHalfPi's operations, so the bits are the same.

// sinHalfPi6 replaces each u[i], |u[i]| ≤ π/2, by sinHalfPi(u[i]).
func sinHalfPi6(u *[6]float64) {
	c := &sinCoeff
	u0 := u[0]
	u1 := u[1]
	u2 := u[2]
	u3 := u[3]
	u4 := u[4]
	u5 := u[5]
	s0, s1, s2, s3, s4, s5 := u0*u0, u1*u1, u2*u2, u3*u3, u4*u4, u5*u5
	p0, p1, p2, p3, p4, p5 := c[7], c[7], c[7], c[7], c[7], c[7]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[6], p1*s1+c[6], p2*s2+c[6], p3*s3+c[6], p4*s4+c[6], p5*s5+c[6]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[5], p1*s1+c[5], p2*s2+c[5], p3*s3+c[5], p4*s4+c[5], p5*s5+c[5]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[4], p1*s1+c[4], p2*s2+c[4], p3*s3+c[4], p4*s4+c[4], p5*s5+c[4]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[3], p1*s1+c[3], p2*s2+c[3], p3*s3+c[3], p4*s4+c[3], p5*s5+c[3]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[2], p1*s1+c[2], p2*s2+c[2], p3*s3+c[2], p4*s4+c[2], p5*s5+c[2]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[1], p1*s1+c[1], p2*s2+c[1], p3*s3+c[1], p4*s4+c[1], p5*s5+c[1]
	p0, p1, p2, p3, p4, p5 = p0*s0+c[0], p1*s1+c[0], p2*s2+c[0], p3*s3+c[0], p4*s4+c[0], p5*s5+c[0]
	u[0] = u0 + u0*s0*p0
	u[1] = u1 + u1*s1*p1
	u[2] = u2 + u2*s2*p2
	u[3] = u3 + u3*s3*p3
	u[4] = u4 + u4*s4*p4
	u[5] = u5 + u5*s5*p5
}

// sinCosHalfPi6 returns sinHalfPi and cosHalfPi of each u[i].
func sinCosHalfPi6(u *[6]float64) (sin, cos [6]float64) {
	sin = *u
	sinHalfPi6(&sin)
	for i, x := range u {
		cos[i] = cosHalfPi(x)
	}
	return sin, cos
}
