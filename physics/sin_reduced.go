package physics

import "math"

// Branch-free sine and cosine for the lattice sums. Go's math.Sin reduces
// by π/4 and picks one of two polynomials by octant: inside the phi x mosaic
// loop the octant is random, so its branches mispredict. Here the argument is
// reduced by π (Cody–Waite, the split of reducePi), the sign (−1)^k is set
// with a bit operation, and one polynomial covers |u| ≤ π/2.

// sinCoeff: sin(u) = u + u·s·P(s), s = u², P of degree 7 interpolating
// (sin(u) − u)/u³ at the Chebyshev nodes of s ∈ [0, 2.48] (computed in
// 400-bit arithmetic). Against the correctly rounded sine (internal/libm) the
// result is within 2 ulps and rounds differently in 10% of arguments
// (math.Sin: 12%), measured on 2e6 arguments in [−π/2, π/2].
var sinCoeff = [8]float64{
	-0.16666666666666666,
	0.008333333333333316,
	-0.00019841269841254513,
	2.755731921903942e-06,
	-2.5052107601268488e-08,
	1.6058976295353712e-10,
	-7.643937905979405e-13,
	2.731041918097912e-15,
}

// cosCoeff: cos(u) = 1 − s/2 + s²·Q(s), fitted the same way; absolute
// error below 2e-16 on [−π/2, π/2] (it feeds derivatives only).
var cosCoeff = [8]float64{
	0.041666666666666664,
	-0.001388888888888888,
	2.480158730157962e-05,
	-2.75573192215075e-07,
	2.087675659499184e-09,
	-1.1470711762908141e-11,
	4.7778616886818373e-14,
	-1.521661898545867e-16,
}

// sinHalfPi returns sin(u) for |u| ≤ π/2 (a little beyond is fine).
func sinHalfPi(u float64) float64 {
	s := u * u
	return u + u*s*horner7(&sinCoeff, s)
}

// horner7 evaluates c[0] + c[1]·s + … + c[7]·s⁷ by Horner's rule.
func horner7(c *[8]float64, s float64) float64 {
	p := c[7]
	for i := 6; i >= 0; i-- {
		p = p*s + c[i]
	}
	return p
}

// cosHalfPi returns cos(u) for |u| ≤ π/2.
func cosHalfPi(u float64) float64 {
	s := u * u
	return 1 - 0.5*s + s*s*horner7(&cosCoeff, s)
}

// flipSign returns −x when the integer k is odd, x otherwise.
func flipSign(x, k float64) float64 {
	return math.Float64frombits(math.Float64bits(x) ^ uint64(int64(k))<<63)
}

// sinPiReduced returns sin(x) for |x| < 2^27·π (nanoBragg's arguments π·h
// and π·h·N are far below): x = kπ + u, sin(x) = (−1)^k sin(u). u is exact
// to about an ulp of itself, so sin(fl(kπ)) keeps its full relative
// accuracy, as glibc's does (math.Sin loses up to 1e-11 there).
func sinPiReduced(x float64) float64 {
	k := math.RoundToEven(x * (1 / math.Pi))
	u := ((x - k*piA) - k*piB) - k*piC
	return flipSign(sinHalfPi(u), k)
}

// SincgInt is Sincg for integer n: C's sin(x·n)/sin(x) with the value n at
// x == 0, without Sincg's test on n.
func SincgInt(x, n float64) float64 {
	if x == 0 {
		return n
	}
	return sinPiReduced(x*n) / sinPiReduced(x)
}

// SinPi returns sin(π·d) for |d| ≤ 1/2.
func SinPi(d float64) float64 { return sinHalfPi(math.Pi * d) }

// DirichletDelta returns numerator and denominator of sincg(π·h, n) for
// integer n from the distance d = h − round(h) ∈ [−1/2, 1/2] to the
// nearest node: |sin(nπh)/sin(πh)| = |num/den|. Both sines take arguments
// in [−π/2, π/2] (n·d is reduced by its own nearest integer), so no general
// range reduction is needed; the sign (−1)^(round(h)(n−1)+round(nd)) is left
// out, since only F_latt² reaches the image. At d == 0 it returns (n, 1).
func DirichletDelta(d, n float64) (num, den float64) {
	t := n * d
	f := t - math.RoundToEven(t)
	num, den = sinHalfPi(math.Pi*f), sinHalfPi(math.Pi*d)
	if d == 0 {
		num, den = n, 1
	}
	return num, den
}

// sincgSign returns ±1 = (−1)^(k·(n−1) + m) for integers k, n, m held in
// floats: the sign that maps sin(π·f)/sin(π·d) onto sin(nπh)/sin(πh) when
// h = k + d and n·d = m + f.
func sincgSign(k, n, m float64) float64 {
	return flipSign(1, float64((int64(k)*(int64(n)-1)+int64(m))&1))
}

// SincgDelta returns Sincg(π·h, n) for integer n from the distance
// d = h − round(h) to the nearest node: σ·sin(π·f)/sin(π·d) with
// n·d = m + f, |f| ≤ 1/2. It equals C's quotient up to C's own rounding
// (which next to a node is much larger than this one's: see Sincg).
func SincgDelta(h, n float64) float64 {
	k := math.RoundToEven(h)
	d := h - k
	if d == 0 {
		return sincgSign(k, n, 0) * n
	}
	t := n * d
	m := math.RoundToEven(t)
	return sincgSign(k, n, m) * (SinPi(t-m) / SinPi(d))
}

// SincgDeltaGrad returns SincgDelta(h, n) with its derivatives in h and n
// for integer n (the continuous-N extension of Sincg has the same
// n-derivative there). Within 1e-4/π of a node, where the quotient rule
// cancels, the derivatives come from SincgGrad's series (there |n·d| < 1/2,
// so both forms have the same sign).
func SincgDeltaGrad(h, n float64) (f, dh, dn float64) {
	k := math.RoundToEven(h)
	d := h - k
	u := math.Pi * d
	if math.Abs(u) < 1e-4 {
		_, dx, dn := SincgGrad(math.Pi*h, n)
		return SincgDelta(h, n), math.Pi * dx, dn
	}
	t := n * d
	m := math.RoundToEven(t)
	v := math.Pi * (t - m)
	sv, cv := sinHalfPi(v), cosHalfPi(v)
	su, cu := sinHalfPi(u), cosHalfPi(u)
	sigma := sincgSign(k, n, m)
	g := sv / su
	f = sigma * g
	dh = sigma * math.Pi * (n*cv - g*cu) / su
	dn = sigma * u * cv / su
	return f, dh, dn
}

// SinHalfPiCoeff returns the coefficients of sinHalfPi's polynomial, for
// vector versions of it.
func SinHalfPiCoeff() [8]float64 { return sinCoeff }

// PiSplit returns the three parts of π that sinPiReduced's reduction uses,
// for vector versions of it.
func PiSplit() (a, b, c float64) { return piA, piB, piC }

// CosHalfPiCoeff returns the coefficients of cosHalfPi's polynomial.
func CosHalfPiCoeff() [8]float64 { return cosCoeff }
