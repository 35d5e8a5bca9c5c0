package graph

import (
	"math"

	"gobragg/physics"
)

// sincgGrad returns sincg(x, n) with its partial derivatives in x and n for
// the backward pass, sharing one Sincos of x and one of n x. For integer n
// the n-derivative of physics.Sincg's continuous extension,
// sigma u cos(n u)/sin(u) with u = x - k pi, equals u cos(n x)/sin(x), so no
// further trigonometry is needed. The quotient rule loses about eps/u^2 of
// relative accuracy next to a Bragg peak (2e-8 at |u| = 1e-4, far below any
// use of a gradient); closer than that, and for non-integer n, it defers to
// physics' series.
func sincgGrad(x, n float64) (f, dx, dn float64) {
	if x == 0 {
		return n, 0, 1
	}
	if n != math.Trunc(n) {
		return physics.Sincg(x, n), physics.SincgDx(x, n), physics.SincgDN(x, n)
	}
	u := x - math.Round(x/math.Pi)*math.Pi
	if math.Abs(u) < 1e-4 {
		return physics.Sincg(x, n), physics.SincgDx(x, n), physics.SincgDN(x, n)
	}
	sx, cx := math.Sincos(x)
	snx, cnx := math.Sincos(n * x)
	f = snx / sx
	dx = (n*cnx - f*cx) / sx
	dn = u * cnx / sx
	return
}
