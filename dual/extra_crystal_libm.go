package dual

import "math"

// This file provides sine, cosine and atan2 rounded correctly to float64
// (evaluated in double-double arithmetic, about 100 bits). glibc's sin, cos
// and atan2 return the correctly rounded result except in astronomically
// rare cases, while Go's math.Sin/Cos/Atan2 are often one or two ulps off;
// using these makes the lattice (cell angles, misset rotation) equal C's
// bit for bit. This is a copy of crand/libm.go with renamed identifiers; it
// belongs in one shared place (for dual.Sin/Cos/Atan2 themselves).

// crDD is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
type crDD struct{ hi, lo float64 }

func crTwoSum(a, b float64) crDD {
	s := a + b
	bb := s - a
	return crDD{s, (a - (s - bb)) + (b - bb)}
}

func crQuickTwoSum(a, b float64) crDD {
	s := a + b
	return crDD{s, b - (s - a)}
}

func crTwoProd(a, b float64) crDD {
	p := a * b
	return crDD{p, math.FMA(a, b, -p)}
}

func crAdd(a, b crDD) crDD {
	s := crTwoSum(a.hi, b.hi)
	t := crTwoSum(a.lo, b.lo)
	s = crQuickTwoSum(s.hi, s.lo+t.hi)
	return crQuickTwoSum(s.hi, s.lo+t.lo)
}

func crNeg(a crDD) crDD { return crDD{-a.hi, -a.lo} }

func crMul(a, b crDD) crDD {
	p := crTwoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return crQuickTwoSum(p.hi, p.lo)
}

func crMulF(a crDD, b float64) crDD {
	p := crTwoProd(a.hi, b)
	p.lo += a.lo * b
	return crQuickTwoSum(p.hi, p.lo)
}

func crDivF(a crDD, b float64) crDD {
	q1 := a.hi / b
	r := crAdd(a, crNeg(crTwoProd(q1, b)))
	q2 := r.hi / b
	r = crAdd(r, crNeg(crTwoProd(q2, b)))
	q3 := r.hi / b
	return crAdd(crQuickTwoSum(q1, q2), crDD{q3, 0})
}

// pio2 is pi/2 split into three float64 parts (about 160 bits).
const (
	crPio2a = 0x1.921fb54442d18p+0
	crPio2b = 0x1.1a62633145c07p-54
	crPio2c = -0x1.f1976b7ed8fbcp-110
)

// crMaxArg bounds the arguments reduced here; beyond it the three-part
// pi/2 loses accuracy and math.Sin/Cos are used instead.
const crMaxArg = 1 << 20

// crInvFact[n] = 1/n! in double-double, n = 0..crTerms.
const crTerms = 31

var crInvFact = func() [crTerms + 1]crDD {
	var f [crTerms + 1]crDD
	f[0] = crDD{1, 0}
	for n := 1; n <= crTerms; n++ {
		f[n] = crDivF(f[n-1], float64(n))
	}
	return f
}()

// crSinCos returns sin(x) and cos(x) in double-double for finite
// |x| <= crMaxArg.
func crSinCos(x float64) (s, c crDD) {
	k := math.Round(x * (2 / math.Pi))
	// r = x - k*pi/2; k*crPio2a is exact in double-double.
	r := crAdd(crDD{x, 0}, crNeg(crTwoProd(k, crPio2a)))
	r = crAdd(r, crNeg(crTwoProd(k, crPio2b)))
	r = crAdd(r, crNeg(crTwoProd(k, crPio2c)))
	r2 := crMul(r, r)

	// Taylor series, |r| <= pi/4 (+ a little): terms to r^31/31!.
	ps := crInvFact[crTerms] // sin(r)/r = 1/1! - r^2/3! + r^4/5! - ...
	for n := crTerms - 2; n >= 1; n -= 2 {
		ps = crAdd(crInvFact[n], crNeg(crMul(ps, r2)))
	}
	sr := crMul(ps, r)
	cr := crInvFact[crTerms-1] // cos(r) = 1/0! - r^2/2! + r^4/4! - ...
	for n := crTerms - 3; n >= 0; n -= 2 {
		cr = crAdd(crInvFact[n], crNeg(crMul(cr, r2)))
	}
	switch int64(k) & 3 {
	case 0:
		return sr, cr
	case 1:
		return cr, crNeg(sr)
	case 2:
		return crNeg(sr), crNeg(cr)
	default:
		return crNeg(cr), sr
	}
}

// crSin returns sin(x) correctly rounded (math.Sin beyond crMaxArg, for
// zero, infinities and NaN).
func crSin(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.Abs(x) > crMaxArg {
		return math.Sin(x)
	}
	s, _ := crSinCos(x)
	return s.hi + s.lo
}

// crCos returns cos(x) correctly rounded (math.Cos beyond crMaxArg,
// infinities and NaN).
func crCos(x float64) float64 {
	if math.IsNaN(x) || math.Abs(x) > crMaxArg {
		return math.Cos(x)
	}
	_, c := crSinCos(x)
	return c.hi + c.lo
}

// crAtan2 returns atan2(y, x) correctly rounded. It refines math.Atan2 by
// one Newton step in double-double: with t0 = math.Atan2(y, x), the
// remaining angle is atan((y cos t0 - x sin t0)/(x cos t0 + y sin t0)),
// whose argument is about 1e-16, so its first term is exact enough.
// Zeros, infinities, NaN and subnormal or huge inputs use math.Atan2.
func crAtan2(y, x float64) float64 {
	t0 := math.Atan2(y, x)
	if x == 0 || y == 0 || math.IsNaN(t0) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return t0
	}
	ax, ay := math.Abs(x), math.Abs(y)
	if ax < 0x1p-900 || ay < 0x1p-900 || ax > 0x1p900 || ay > 0x1p900 {
		return t0
	}
	s, c := crSinCos(t0)
	num := crAdd(crMulF(c, y), crNeg(crMulF(s, x)))
	den := crAdd(crMulF(c, x), crMulF(s, y))
	delta := num.hi / den.hi
	r := crTwoSum(t0, delta)
	return r.hi + r.lo
}
