package graph

import (
	"math"

	"gobragg/physics"
)

// squareGrad accumulates the adjoints of one subpath's terms
// w·F_cell²·F_latt² (square shape) given each term's sincg factors and
// their derivatives.
type squareGrad struct {
	s                       *Setup
	acc                     *gradAcc
	in                      *inputs
	gt                      float64 // upstream gradient of a term: dL/dI · w
	defaultF                float64
	gNa, gNb, gNc, gDefault float64
	gS                      [3]float64
	sumT                    float64
	glat                    []float64 // the lattice adjoint of the subpath's row
	S                       [3]float64
}

// term adds the adjoint of the term at lattice offset b (L its a, b, c)
// with Miller indices h, k, l, factors f and their derivatives in the
// index (dh) and in N (dn), each up to a sign per axis that they share.
func (g *squareGrad) term(b int, L []float64, h, k, l float64, f, dh, dn *[3]float64) {
	s, in := g.s, g.in
	fa, fb, fc := f[0], f[1], f[2]
	F := fa * fb * fc
	if F == 0 && s.WaterZero {
		return
	}
	Fc, idx := g.defaultF, -1
	if s.Grid.Count > 0 {
		idx = s.Grid.index(int(math.Ceil(h-0.5)), int(math.Ceil(k-0.5)), int(math.Ceil(l-0.5)))
		if idx >= 0 {
			Fc = in.F[idx]
		}
	}
	g.sumT += Fc * Fc * F * F
	gFc := g.gt * 2 * Fc * F * F
	gFl := g.gt * 2 * Fc * Fc * F
	bc, ac, ab := fb*fc, fa*fc, fa*fb
	gh, gk, gl := gFl*dh[0]*bc, gFl*dh[1]*ac, gFl*dh[2]*ab
	g.gNa += gFl * dn[0] * bc
	g.gNb += gFl * dn[1] * ac
	g.gNc += gFl * dn[2] * ab
	if idx >= 0 {
		g.acc.addF(idx, gFc)
	} else {
		g.gDefault += gFc
	}
	// h = a.S, k = b.S, l = c.S
	S := &g.S
	G := g.glat[b : b+9 : b+9]
	L = L[:9:9]
	G[0] += gh * S[0]
	G[1] += gh * S[1]
	G[2] += gh * S[2]
	G[3] += gk * S[0]
	G[4] += gk * S[1]
	G[5] += gk * S[2]
	G[6] += gl * S[0]
	G[7] += gl * S[1]
	G[8] += gl * S[2]
	g.gS[0] += gh*L[0] + gk*L[3] + gl*L[6]
	g.gS[1] += gh*L[1] + gk*L[4] + gl*L[7]
	g.gS[2] += gh*L[2] + gk*L[5] + gl*L[8]
}

// terms adds the adjoints of terms j0..j1-1 with scalar factors.
func (g *squareGrad) terms(lat []float64, j0, j1 int, n [3]float64) {
	for b := j0 * 9; b < j1*9; b += 9 {
		h, k, l := millerIndices(lat[b:], g.S)
		f, dh, dn := physics.LatticeSquareDeltaGrad(h, k, l, n[0], n[1], n[2])
		g.term(b, lat[b:], h, k, l, &f, &dh, &dn)
	}
}

// gradSquare is the backward counterpart of the square-shape lattice sums:
// for one subpath (scattering vector S, lattice rows lat starting at element
// base of the kernel's lattice input, soa the same rows field by field or
// nil) it adds the adjoints of every term w·F_cell²·F_latt² with upstream
// gradient gI to acc, and returns the adjoint of S and the sum of the
// terms (for the weight's own adjoint). It serves the same runs as fastSum
// (square shape, integer N > 1, no interpolation, no running sum); the
// factors come from the fractional indices (the backward pass needs no C
// bits), eight terms at a time with vectorSums.
func (s *Setup) gradSquare(acc *gradAcc, in *inputs, gI, w float64, lat, soa []float64, base int, S [3]float64) (gS [3]float64, sumT float64) {
	n := [3]float64{in.scal[scalNa], in.scal[scalNb], in.scal[scalNc]}
	g := squareGrad{s: s, acc: acc, in: in, gt: gI * w, defaultF: in.scal[scalDefaultF],
		glat: acc.lattice[base : base+len(lat)], S: S}
	if soa != nil { // the rows field by field: only with vectorSums (split)
		squareGradVec(&g, lat, soa, acc.latticeSoA[base:base+len(lat)], n)
	} else {
		g.terms(lat, 0, len(lat)/9, n)
	}
	acc.scal[scalNa] += g.gNa
	acc.scal[scalNb] += g.gNb
	acc.scal[scalNc] += g.gNc
	acc.scal[scalDefaultF] += g.gDefault
	return g.gS, g.sumT
}
