// Package dual implements forward-mode dual numbers: a value together with its
// exact partial derivatives with respect to a small set of seed variables.
//
// The geometry of gobragg (cell, misset, phi and mosaic rotations, detector
// pivots, sources) is written once in terms of Num. Evaluated with no
// derivative slots it reproduces nanoBragg's float64 arithmetic operation for
// operation (the value part is computed exactly as a plain float64 expression
// would be), and seeded with one slot per input it yields the exact Jacobian
// that the graph package needs for its vector-Jacobian products. Sin, Cos and
// Atan2 take their values from gobragg/internal/libm, rounded correctly as
// glibc's (which nanoBragg calls) nearly always are, where Go's math package
// is often an ulp off; they cost a few hundred nanoseconds each.
package dual

import (
	"math"

	"gobragg/internal/libm"
)

// Num is a value V and its partial derivatives D with respect to the seed
// variables. A nil D means every partial is zero (a constant).
type Num struct {
	V float64
	D []float64
}

// C returns the constant v (all partials zero).
func C(v float64) Num { return Num{V: v} }

// Var returns v as seed variable i of n: its partial with respect to
// variable i is 1 and every other partial is 0.
func Var(v float64, i, n int) Num {
	d := make([]float64, n)
	d[i] = 1
	return Num{V: v, D: d}
}

// Grad returns the partial of x with respect to seed variable i.
func (x Num) Grad(i int) float64 {
	if i < len(x.D) {
		return x.D[i]
	}
	return 0
}

// combine returns ca*a.D + cb*b.D (nil when both are constants).
func combine(ca float64, a []float64, cb float64, b []float64) []float64 {
	if a == nil && b == nil {
		return nil
	}
	n := len(a)
	if len(b) > n {
		n = len(b)
	}
	d := make([]float64, n)
	for i, v := range a {
		d[i] = ca * v
	}
	for i, v := range b {
		d[i] += cb * v
	}
	return d
}

func scaleD(c float64, a []float64) []float64 {
	if a == nil {
		return nil
	}
	d := make([]float64, len(a))
	for i, v := range a {
		d[i] = c * v
	}
	return d
}

// Add returns x + y.
func Add(x, y Num) Num { return Num{x.V + y.V, combine(1, x.D, 1, y.D)} }

// Sub returns x - y.
func Sub(x, y Num) Num { return Num{x.V - y.V, combine(1, x.D, -1, y.D)} }

// Mul returns x * y.
func Mul(x, y Num) Num { return Num{x.V * y.V, combine(y.V, x.D, x.V, y.D)} }

// Div returns x / y.
func Div(x, y Num) Num {
	v := x.V / y.V
	return Num{v, combine(1/y.V, x.D, -v/y.V, y.D)}
}

// Apply2 returns f(x, y) for a function written in float64 with its
// partial derivatives: v = f(x.V, y.V), fx = df/dx and fy = df/dy there.
// The partials of the result follow by the chain rule.
func Apply2(v, fx, fy float64, x, y Num) Num { return Num{v, combine(fx, x.D, fy, y.D)} }

// Neg returns -x.
func Neg(x Num) Num { return Num{-x.V, scaleD(-1, x.D)} }

// Scale returns c * x for a constant c (the product is computed as c*x.V).
func Scale(c float64, x Num) Num { return Num{c * x.V, scaleD(c, x.D)} }

// Sin returns sin(x), its value correctly rounded (libm.Sin).
func Sin(x Num) Num {
	s, c := libm.Sincos(x.V)
	return Num{s, scaleD(c, x.D)}
}

// Cos returns cos(x), its value correctly rounded (libm.Cos).
func Cos(x Num) Num {
	s, c := libm.Sincos(x.V)
	return Num{c, scaleD(-s, x.D)}
}

// sincos returns Sin(x), Cos(x) with one evaluation of libm's series.
func sincos(x Num) (sin, cos Num) {
	s, c := libm.Sincos(x.V)
	return Num{s, scaleD(c, x.D)}, Num{c, scaleD(-s, x.D)}
}

// Sqrt returns sqrt(x); its derivative at 0 is taken as 0 to keep
// constants (such as a zero-length vector) free of infinities.
func Sqrt(x Num) Num {
	v := math.Sqrt(x.V)
	if v == 0 {
		return Num{v, scaleD(0, x.D)}
	}
	return Num{v, scaleD(0.5/v, x.D)}
}

// Exp returns exp(x).
func Exp(x Num) Num {
	v := math.Exp(x.V)
	return Num{v, scaleD(v, x.D)}
}

// Log returns the natural logarithm of x.
func Log(x Num) Num { return Num{math.Log(x.V), scaleD(1/x.V, x.D)} }

// Abs returns |x| (derivative sign(x), 0 at 0).
func Abs(x Num) Num {
	switch {
	case x.V < 0:
		return Neg(x)
	case x.V > 0:
		return x
	}
	return Num{0, scaleD(0, x.D)}
}

// Atan2 returns atan2(y, x), its value correctly rounded (libm.Atan2); at
// the origin its partials are taken as 0.
func Atan2(y, x Num) Num {
	v := libm.Atan2(y.V, x.V)
	r2 := x.V*x.V + y.V*y.V
	if r2 == 0 {
		return Num{v, combine(0, y.D, 0, x.D)}
	}
	return Num{v, combine(x.V/r2, y.D, -y.V/r2, x.D)}
}

// Ceil returns ceil(x) with zero derivative (a step function).
func Ceil(x Num) Num { return Num{math.Ceil(x.V), scaleD(0, x.D)} }
