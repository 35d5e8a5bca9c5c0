package graph

import (
	"math"

	"gobragg/physics"
)

// sincgGrad returns sincg(x, n) with its partial derivatives in x and n for
// the backward pass, sharing one Sincos of x and one of n x. For integer n
// the n-derivative of physics.Sincg's continuous extension,
// sigma u cos(n u)/sin(u) with u = x - k pi, equals u cos(n x)/sin(x), so no
// further trigonometry is needed. Next to a Bragg peak (|u| < 0.05), where
// the quotient rule cancels, and for non-integer n it defers to physics.
func sincgGrad(x, n float64) (f, dx, dn float64) {
	if x == 0 {
		return n, 0, 1
	}
	if n != math.Trunc(n) {
		return physics.Sincg(x, n), physics.SincgDx(x, n), physics.SincgDN(x, n)
	}
	u := x - math.Round(x/math.Pi)*math.Pi
	if math.Abs(u) < 0.05 {
		return physics.Sincg(x, n), physics.SincgDx(x, n), physics.SincgDN(x, n)
	}
	sx, cx := math.Sincos(x)
	snx, cnx := math.Sincos(n * x)
	f = snx / sx
	dx = (n*cnx - f*cx) / sx
	dn = u * cnx / sx
	return
}
