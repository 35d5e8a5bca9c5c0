package graph

import (
	"math"

	"gobragg/physics"
)

// sincgGrad returns sincg(π·h, n) with its partial derivatives in the
// fractional index h and in n for the backward pass, which needs no C bits:
// for integer n from the distance of h to its nearest node (two
// branch-free sines and cosines, see physics.SincgDeltaGrad), otherwise
// from physics' continuous-n extension.
func sincgGrad(h, n float64) (f, dh, dn float64) {
	if n == math.Trunc(n) {
		return physics.SincgDeltaGrad(h, n)
	}
	x := math.Pi * h
	return physics.Sincg(x, n), math.Pi * physics.SincgDx(x, n), physics.SincgDN(x, n)
}

// sincg returns F_latt's factor sincg(π·h, n): C's quotient of sines of
// fl(π·h) and fl(fl(π·h)·n) with the SincgFromIndex quirk, otherwise (for
// integer n) the quotient from the distance of h to its nearest node.
func (s *Setup) sincg(h, n float64) float64 {
	if s.Quirks.SincgFromIndex || n != math.Trunc(n) {
		return physics.Sincg(math.Pi*h, n)
	}
	return physics.SincgDelta(h, n)
}
