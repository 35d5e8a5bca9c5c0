package physics

import "math"

// The square-shape F_latt of the kernel's lattice sums, for integer N > 1
// on every axis, its six sines evaluated side by side (sin6.go).

// LatticeSquareInt returns LatticeSquare(h, k, l, na, nb, nc) for integer
// N > 1, bit for bit: C's sin(x·N)/sin(x) per axis with x = fl(π·h).
func LatticeSquareInt(h, k, l, na, nb, nc float64) float64 {
	xa, xb, xc := math.Pi*h, math.Pi*k, math.Pi*l
	u := [6]float64{xa * na, xb * nb, xc * nc, xa, xb, xc}
	var k6 [6]float64
	for i, x := range u {
		// sinPiReduced's reduction, lane by lane.
		kk := math.RoundToEven(x * (1 / math.Pi))
		k6[i] = kk
		u[i] = ((x - kk*piA) - kk*piB) - kk*piC
	}
	sinHalfPi6(&u)
	// Negation is exact and commutes with the rounding of / and *, so the
	// six signs (−1)^k of the reduced sines are applied once, at the end.
	fa, fb, fc := u[0]/u[3], u[1]/u[4], u[2]/u[5]
	parity := k6[0] + k6[1] + k6[2] + k6[3] + k6[4] + k6[5]
	if xa == 0 {
		fa, parity = na, parity-k6[0]-k6[3]
	}
	if xb == 0 {
		fb, parity = nb, parity-k6[1]-k6[4]
	}
	if xc == 0 {
		fc, parity = nc, parity-k6[2]-k6[5]
	}
	return flipSign(fa*fb*fc, parity)
}

// nodeDistances returns d = h − round(h) per axis and π·f, π·d for the six
// sines of DirichletDelta (f = n·d − round(n·d)).
func nodeDistances(h, k, l, na, nb, nc float64) (d [3]float64, u [6]float64) {
	d = [3]float64{h - math.RoundToEven(h), k - math.RoundToEven(k), l - math.RoundToEven(l)}
	n := [3]float64{na, nb, nc}
	for i := range d {
		t := n[i] * d[i]
		u[i] = math.Pi * (t - math.RoundToEven(t))
		u[3+i] = math.Pi * d[i]
	}
	return d, u
}

// LatticeSquare2Delta returns F_latt² of the square shape for integer N > 1
// from the distances to the nearest node (DirichletDelta per axis, bit for
// bit), with one division for the three axes.
func LatticeSquare2Delta(h, k, l, na, nb, nc float64) float64 {
	d, u := nodeDistances(h, k, l, na, nb, nc)
	sinHalfPi6(&u)
	if d[0] == 0 {
		u[0], u[3] = na, 1
	}
	if d[1] == 0 {
		u[1], u[4] = nb, 1
	}
	if d[2] == 0 {
		u[2], u[5] = nc, 1
	}
	p, q := u[0]*u[1]*u[2], u[3]*u[4]*u[5]
	return (p * p) / (q * q)
}

// LatticeSquareDeltaGrad returns the three sincg factors of F_latt for
// integer N > 1 with their derivatives in h (k, l) and in N, each up to a
// sign per axis that the factor and its derivatives share (so products
// such as F·∂F/∂h, all that the gradient of F_latt² needs, are exact).
// Within 1e-4/π of a node an axis uses SincgDeltaGrad's series.
func LatticeSquareDeltaGrad(h, k, l, na, nb, nc float64) (f, dh, dn [3]float64) {
	_, u := nodeDistances(h, k, l, na, nb, nc)
	sn, cs := sinCosHalfPi6(&u)
	n := [3]float64{na, nb, nc}
	idx := [3]float64{h, k, l}
	for i := range f {
		if math.Abs(u[3+i]) < 1e-4 {
			f[i], dh[i], dn[i] = SincgDeltaGrad(idx[i], n[i])
			continue
		}
		r := 1 / sn[3+i] // one division per axis
		g := sn[i] * r
		f[i] = g
		dh[i] = math.Pi * (n[i]*cs[i] - g*cs[3+i]) * r
		dn[i] = u[3+i] * cs[i] * r
	}
	return f, dh, dn
}
