package graph

// vectorSums reports whether the lattice sums evaluate F_latt for eight
// phi x mosaic terms at once (SIMD): lattice_simd.go sets it when the build
// has GOEXPERIMENT=simd and the CPU the instructions; otherwise the scalar
// sums run (lattice_novec.go's square8 and squareGradVec are never called).
//
// square8(soa, nt, j, S, n, cForm, h, k, l, f) sets, for terms j..j+7 of
// one subpath (fewer past nt; lattice soa field by field), the Miller
// indices h, k, l = a.S, b.S, c.S and f = F_latt of the square shape for
// integer N > 1: C's form (LatticeSquareInt, up to its sign) when cForm,
// else F_latt² from the distances to the nearest node (LatticeSquare2Delta).
// Each lane performs exactly the scalar operations, so the values are the
// same bits.
//
// squareGradVec(g, lat, soa, gsoa, n) adds the adjoints of one subpath's
// terms (lattice rows lat, soa the same field by field) to g, the lattice
// adjoint field by field to gsoa, with the factors of
// physics.LatticeSquareDeltaGrad (with fused multiply-adds, and summed in
// another order: not the scalar bits); a group of eight with a term next
// to a node, where that quotient rule cancels, goes through g.terms (the
// series).
var vectorSums bool

// KernelName names the lattice sums this binary runs, for gobragg -version:
// the AVX-512 ones, or the scalar ones and why.
func KernelName() string {
	switch {
	case vectorSums:
		return "AVX-512 lattice sums"
	case simdBuild:
		return "scalar lattice sums (this CPU lacks AVX-512)"
	}
	return "scalar lattice sums (built without GOEXPERIMENT=simd: make build sets it)"
}

// sumSquareVec is sumSquare with F_latt from
// vectorSums; the F_cell lookup and the accumulation stay scalar and in C's
// order, so the result is the scalar sums' bit for bit.
func (s *Setup) sumSquareVec(in *inputs, I, w float64, soa []float64, S [3]float64, cForm bool) float64 {
	n := [3]float64{in.scal[scalNa], in.scal[scalNb], in.scal[scalNc]}
	nt := s.NPhi * s.NMos
	var h, k, l, f [8]float64
	for j := 0; j < nt; j += 8 {
		square8(soa, nt, j, S, n, cForm, &h, &k, &l, &f)
		for i := range min(8, nt-j) {
			I = s.addSquareTerm(in, I, w, h[i], k[i], l[i], f[i], cForm)
		}
	}
	return I
}

// latticeFields returns the lattice rows field by field, [2][9][nt], for
// the vector sums.
func latticeFields(lattice []float64, nt int) []float64 {
	soa := make([]float64, len(lattice))
	for row := 0; row < 2; row++ {
		for j := 0; j < nt; j++ {
			for f := 0; f < 9; f++ {
				soa[(row*9+f)*nt+j] = lattice[(row*nt+j)*9+f]
			}
		}
	}
	return soa
}
