package libm

import "math"

// dd is an unevaluated sum hi + lo with |lo| <= ulp(hi)/2 (double-double,
// about 106 bits).
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s = quickTwoSum(s.hi, s.lo+t.hi)
	return quickTwoSum(s.hi, s.lo+t.lo)
}

func ddNeg(a dd) dd { return dd{-a.hi, -a.lo} }

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func ddMulF(a dd, b float64) dd {
	p := twoProd(a.hi, b)
	p.lo += a.lo * b
	return quickTwoSum(p.hi, p.lo)
}

func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	r := ddAdd(a, ddNeg(twoProd(q1, b)))
	q2 := r.hi / b
	r = ddAdd(r, ddNeg(twoProd(q2, b)))
	q3 := r.hi / b
	return ddAdd(quickTwoSum(q1, q2), dd{q3, 0})
}
