package physics

import "math"

// LatticeSquare returns F_latt of a parallelepiped crystal of na×nb×nc unit
// cells at fractional Miller indices (h, k, l), as nanoBragg computes it:
// starting from 1.0 it multiplies in Sincg(π·h, na), then Sincg(π·k, nb),
// then Sincg(π·l, nc), each factor only when its N > 1. (Next to a Bragg
// peak C's sincg is noisy; see Sincg.)
func LatticeSquare(h, k, l, na, nb, nc float64) float64 {
	f := 1.0
	if na > 1 {
		f *= Sincg(math.Pi*h, na)
	}
	if nb > 1 {
		f *= Sincg(math.Pi*k, nb)
	}
	if nc > 1 {
		f *= Sincg(math.Pi*l, nc)
	}
	return f
}

// LatticeSquareGrad returns LatticeSquare (bit for bit) and its partial
// derivatives with respect to h, k, l, na, nb and nc. A factor whose N ≤ 1 is
// the constant 1, so it contributes zero derivative in both its index and its
// N. The N derivatives use the continuous-N form described at Sincg.
func LatticeSquareGrad(h, k, l, na, nb, nc float64) (f, dh, dk, dl, dna, dnb, dnc float64) {
	fa, fb, fc := 1.0, 1.0, 1.0
	var ga, gb, gc, gna, gnb, gnc float64 // d factor / d index, d factor / d N
	if na > 1 {
		x := math.Pi * h
		fa, ga, gna = SincgGrad(x, na)
		ga *= math.Pi
	}
	if nb > 1 {
		x := math.Pi * k
		fb, gb, gnb = SincgGrad(x, nb)
		gb *= math.Pi
	}
	if nc > 1 {
		x := math.Pi * l
		fc, gc, gnc = SincgGrad(x, nc)
		gc *= math.Pi
	}
	f = 1.0 * fa * fb * fc
	bc, ac, ab := fb*fc, fa*fc, fa*fb
	return f, ga * bc, gb * ac, gc * ab, gna * bc, gnb * ac, gnc * ab
}
