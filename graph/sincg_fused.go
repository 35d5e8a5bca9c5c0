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

// sincgC is F_latt's factor sincg(π·h, n) with C's arguments fl(π·h) and
// fl(fl(π·h)·n) (the SincgFromIndex quirk).
func sincgC(h, n float64) float64 { return physics.Sincg(math.Pi*h, n) }

// sincgNode is sincg(π·h, n) from the distance of h to its nearest node
// for integer n (C's arguments otherwise).
func sincgNode(h, n float64) float64 {
	if n != math.Trunc(n) {
		return physics.Sincg(math.Pi*h, n)
	}
	return physics.SincgDelta(h, n)
}
