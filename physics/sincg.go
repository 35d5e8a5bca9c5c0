package physics

import "math"

// Sincg returns the grating (1-D lattice) transform sin(n*x)/sin(x), with
// the value n at x == 0, exactly as nanoBragg's sincg. nanoBragg calls it
// with x = π·h for a fractional Miller index h and n = Na, the number of unit
// cells along a; the value peaks at ±n when h is an integer.
//
// For integer n (the only case nanoBragg ever produces, since it reads N with
// atoi) the value is C's sin(x*n)/sin(x), bit for bit up to the C library's
// sin. For non-integer n the C expression has a pole at every x = kπ, k ≠ 0,
// so n is made continuous with the reduced-argument form
//
//	Sincg(x, n) = σ · sin(n·u)/sin(u),   u = x − kπ ∈ [−π/2, π/2],
//	σ = (−1)^(k·(round(n)−1)),
//
// which equals sin(n·x)/sin(x) whenever n is an integer, is smooth in n
// between half-integers and has the Bragg peak value σ·n at u = 0. SincgDx
// and SincgDN are the derivatives of this function. (σ flips at half-integer
// n; F_latt enters the intensity squared, so the sign does not matter there.)
//
// Note on C's value next to a peak: sin(x*n)/sin(x) divides two numbers that
// both become small as x approaches kπ (k ≠ 0), and x*n carries a rounding
// error of an ulp of itself, so C's result has a relative error of about
// 1e-16·|x·n|/|n·sin(x)|: 1e-12 at 1e-4 from a peak, and at an exactly
// integral h ≠ 0 the value is meaningless (C's sincg(π·29, 3) is −22955, not
// 3). The value is kept for parity; the derivatives describe the exact
// function.
func Sincg(x, n float64) float64 {
	if x == 0 {
		return n
	}
	if n == math.Trunc(n) {
		return sinPiReduced(x*n) / sinPiReduced(x)
	}
	u, sigma := reducePi(x, n)
	if u == 0 {
		return sigma * n
	}
	return sigma * sin(n*u) / sin(u)
}

// SincgDx returns ∂Sincg/∂x. It is exactly 0 at x == 0 and vanishes at the
// Bragg peaks x = kπ (for integer n). Near a peak, where sin(x) is tiny and
// the quotient rule cancels, it is evaluated from a power series in
// u = x − kπ, so it stays accurate to a few ulps of its own size. (C's value
// itself is not that accurate there: see the note at Sincg.)
func SincgDx(x, n float64) float64 {
	if x == 0 {
		return 0
	}
	u, sigma := reducePi(x, n)
	return sigma * dirichletDu(u, n)
}

// SincgDN returns ∂Sincg/∂n, n being continuous as described for Sincg:
// σ·u·cos(n·u)/sin(u). It is 1 at x == 0 (Sincg(0, n) = n) and σ at a Bragg
// peak, and bounded everywhere (no 1/sin(x) blow-up next to the peaks).
func SincgDN(x, n float64) float64 {
	if x == 0 {
		return 1
	}
	u, sigma := reducePi(x, n)
	if u == 0 {
		return sigma
	}
	return sigma * cos(n*u) * (u / sin(u))
}

// SincgGrad returns Sincg, SincgDx and SincgDN together, reducing x only
// once (the form the lattice gradients use).
func SincgGrad(x, n float64) (f, dx, dn float64) {
	f = Sincg(x, n)
	if x == 0 {
		return f, 0, 1
	}
	u, sigma := reducePi(x, n)
	if u == 0 {
		return f, 0, sigma
	}
	su, cu := sincos(u)
	sn, cn := sincos(n * u)
	var du float64
	if math.Abs(u) > 0.5 || math.Abs(n*u) > 1 {
		du = (n*cn*su - sn*cu) / (su * su)
	} else {
		du = dirichletDuSeries(u, n)
	}
	return f, sigma * du, sigma * cn * (u / su)
}

// π split in three (Cody–Waite): piA and piB (exact hex literals) carry
// at most 26 significant bits each, so k·piA and k·piB are exact for
// |k| < 2^27; piC is the rest of π (computed in exact constant arithmetic,
// it includes the part that float64 math.Pi rounds off).
const (
	piA = 0x1.921fb5p+01 // float64(math.Pi) with its low 27 bits cleared
	piB = 0x1.110b46p-25 // the next 26 bits; piA+piB == float64(math.Pi)
	piC = math.Pi - piA - piB
)

// reducePi returns u = x − k·π for the nearest integer k, in [−π/2, π/2],
// and the sign σ = (−1)^(k·(round(n)−1)) that maps sin(n·u)/sin(u) onto
// sin(n·x)/sin(x) for integer n. u is accurate to about an ulp of itself
// (for |x| < 2^27·π), so a float x next to kπ gets its true, tiny distance
// from the peak.
func reducePi(x, n float64) (u, sigma float64) {
	k := math.Round(x / math.Pi)
	u = ((x - k*piA) - k*piB) - k*piC
	sigma = 1
	if math.Mod(k, 2) != 0 && math.Mod(math.Round(n)-1, 2) != 0 {
		sigma = -1
	}
	return u, sigma
}

// dirichletTerms is the number of terms of the power series used by
// dirichletDu; with |u| ≤ 1/2 and |n·u| ≤ 1 the neglected terms are below
// 1e-18 of the sum.
const dirichletTerms = 14

// sinOverXCoeff[i] = (−1)^i/(2i+1)!, the series of sin(u)/u in u².
var sinOverXCoeff = func() (b [dirichletTerms]float64) {
	b[0] = 1
	for i := 1; i < dirichletTerms; i++ {
		b[i] = -b[i-1] / float64((2*i)*(2*i+1))
	}
	return b
}()

// dirichletDu returns d/du of g(u) = sin(n·u)/sin(u) for |u| ≤ π/2.
// For small |u| and |n·u| it differentiates the series g = Σ c_j u^(2j),
// whose coefficients follow from (Σ b_i u^(2i))(Σ c_j u^(2j)) = sin(nu)/u;
// elsewhere the quotient rule has no harmful cancellation.
func dirichletDu(u, n float64) float64 {
	if u == 0 {
		return 0
	}
	if math.Abs(u) > 0.5 || math.Abs(n*u) > 1 {
		s, c := sincos(u)
		sn, cn := sincos(n * u)
		return (n*cn*s - sn*c) / (s * s)
	}
	return dirichletDuSeries(u, n)
}

// dirichletDuSeries is dirichletDu's series branch.
func dirichletDuSeries(u, n float64) float64 {
	var cs [dirichletTerms]float64
	cs[0] = n
	a := n // a_j = (−1)^j n^(2j+1)/(2j+1)!
	n2, u2 := n*n, u*u
	upow := u // u^(2j−1)
	sum := 0.0
	for j := 1; j < dirichletTerms; j++ {
		a *= -n2 / float64((2*j)*(2*j+1))
		cj := a
		for i := 1; i <= j; i++ {
			cj -= sinOverXCoeff[i] * cs[j-i]
		}
		cs[j] = cj
		sum += float64(2*j) * cj * upow
		upow *= u2
	}
	return sum
}
