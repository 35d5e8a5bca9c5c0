package physics

import "math"

// The transcendental functions of the C library used by nanoBragg's
// formulas, routed through one file so that a correctly rounded
// implementation can be swapped in here. They are Go's math functions, which
// differ from glibc's (x86-64, glibc 2.36) in the last bit for about 25% of
// arguments of sin, cos and atan2 and 13% of exp, while glibc agrees with
// the correctly rounded result in about 99.9% of cases (measured on 20000
// random arguments each). Go's sin is also less accurate next to a multiple
// of π (relative error up to 1.6e-11 at x = fl(29π), where the result is
// 1e-18), so sincg uses sinPiReduced instead (sin_reduced.go). sqrt needs no
// such care: both are IEEE correctly rounded.
func sin(x float64) float64      { return math.Sin(x) }
func cos(x float64) float64      { return math.Cos(x) }
func exp(x float64) float64      { return math.Exp(x) }
func atan2(y, x float64) float64 { return math.Atan2(y, x) }

// sincos is used only for derivatives, where the last bit does not matter.
func sincos(x float64) (s, c float64) { return math.Sincos(x) }

// minNormalLog is ln of the smallest normal float64 (2.2250738585072014e-308).
const minNormalLog = -708.3964185322641

// gaussFactor is exp(x) for a Gaussian spot's exponent x ≤ 0, or 0 where
// exp(x) is below the smallest normal float64. Every pixel sum squares
// F_latt = N³·exp(x), and the square of such a term is 0 in float64 (as
// is its every derivative's contribution), so the value changes nothing;
// math.Exp's subnormal path costs ten times its normal one (78 ns against
// 7 ns on the development machine), and the wedge fit's shoeboxes have
// paths there.
func gaussFactor(x float64) float64 {
	if x < minNormalLog {
		return 0
	}
	return exp(x)
}
