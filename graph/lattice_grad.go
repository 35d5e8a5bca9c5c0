package graph

import (
	"math"

	"gobragg/physics"
)

// gradSquare is the backward counterpart of the square-shape lattice sums:
// for one subpath (scattering vector S, lattice rows lat starting at element
// base of the kernel's lattice input) it adds the adjoints of every term
// w·F_cell²·F_latt² with upstream gradient gI to acc, and returns the
// adjoint of S and the sum of the terms (for the weight's own adjoint).
// It serves the same runs as fastSum (square shape, integer N > 1, no
// interpolation, no running sum).
func (s *Setup) gradSquare(acc *gradAcc, in *inputs, gI, w float64, lat []float64, base int, S [3]float64) (gS [3]float64, sumT float64) {
	na, nb, nc := in.scal[scalNa], in.scal[scalNb], in.scal[scalNc]
	defaultF := in.scal[scalDefaultF]
	table := s.Grid.Count > 0
	gt := gI * w
	var gNa, gNb, gNc, gDefault float64
	glat := acc.lattice[base : base+len(lat)]
	for b := 0; b+9 <= len(lat); b += 9 {
		L := lat[b : b+9 : b+9]
		h, k, l := millerIndices(L, S)
		f, dh, dn := physics.LatticeSquareDeltaGrad(h, k, l, na, nb, nc)
		fa, fb, fc := f[0], f[1], f[2]
		dha, dhb, dhc := dh[0], dh[1], dh[2]
		dna, dnb, dnc := dn[0], dn[1], dn[2]
		F := fa * fb * fc
		if F == 0 && s.WaterZero {
			continue
		}
		Fc, idx := defaultF, -1
		if table {
			idx = s.Grid.index(int(math.Ceil(h-0.5)), int(math.Ceil(k-0.5)), int(math.Ceil(l-0.5)))
			if idx >= 0 {
				Fc = in.F[idx]
			}
		}
		sumT += Fc * Fc * F * F
		gFc := gt * 2 * Fc * F * F
		gFl := gt * 2 * Fc * Fc * F
		bc, ac, ab := fb*fc, fa*fc, fa*fb
		gh, gk, gl := gFl*dha*bc, gFl*dhb*ac, gFl*dhc*ab
		gNa += gFl * dna * bc
		gNb += gFl * dnb * ac
		gNc += gFl * dnc * ab
		if idx >= 0 {
			acc.addF(idx, gFc)
		} else {
			gDefault += gFc
		}
		// h = a.S, k = b.S, l = c.S
		G := glat[b : b+9 : b+9]
		G[0] += gh * S[0]
		G[1] += gh * S[1]
		G[2] += gh * S[2]
		G[3] += gk * S[0]
		G[4] += gk * S[1]
		G[5] += gk * S[2]
		G[6] += gl * S[0]
		G[7] += gl * S[1]
		G[8] += gl * S[2]
		gS[0] += gh*L[0] + gk*L[3] + gl*L[6]
		gS[1] += gh*L[1] + gk*L[4] + gl*L[7]
		gS[2] += gh*L[2] + gk*L[5] + gl*L[8]
	}
	acc.scal[scalNa] += gNa
	acc.scal[scalNb] += gNb
	acc.scal[scalNc] += gNc
	acc.scal[scalDefaultF] += gDefault
	return gS, sumT
}
