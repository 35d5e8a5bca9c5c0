//go:build goexperiment.simd && amd64

package graph

import (
	"math"
	"simd/archsimd"

	"gobragg/physics"
)

func init() {
	if archsimd.X86.AVX512() {
		vectorSums = avx512Sums{}
	}
}

// avx512Sums evaluates F_latt for eight terms per instruction. Every step
// is a separate IEEE multiply, add, divide or rounding, as in the scalar
// code (no fused multiply-add), so each lane gives the scalar bits.
type avx512Sums struct{}

type f8 = archsimd.Float64x8

func bc(x float64) f8 { return archsimd.BroadcastFloat64x8(x) }

// sin8 is physics.sinHalfPi per lane, |u| ≤ π/2.
func sin8(u f8) f8 {
	c := physics.SinHalfPiCoeff()
	s := u.Mul(u)
	p := bc(c[7])
	for i := 6; i >= 0; i-- {
		p = p.Mul(s).Add(bc(c[i]))
	}
	return u.Add(u.Mul(s).Mul(p))
}

// sinReduced8 is physics.sinPiReduced per lane without its sign (−1)^k.
func sinReduced8(x f8) f8 {
	a, b, c := physics.PiSplit()
	k := x.Mul(bc(1 / math.Pi)).RoundToEvenScaled(0)
	u := x.Sub(k.Mul(bc(a))).Sub(k.Mul(bc(b))).Sub(k.Mul(bc(c)))
	return sin8(u)
}

// sincgC8 is physics.SincgInt per lane up to its sign: C's
// sin(x·n)/sin(x), x = π·h, n at x == 0.
func sincgC8(h f8, n float64) f8 {
	x := bc(math.Pi).Mul(h)
	v := sinReduced8(x.Mul(bc(n))).Div(sinReduced8(x))
	return bc(n).Merge(v, x.Equal(bc(0)))
}

// dirichlet8 is physics.DirichletDelta per lane from the index h.
func dirichlet8(h f8, n float64) (num, den f8) {
	d := h.Sub(h.RoundToEvenScaled(0))
	t := bc(n).Mul(d)
	num = sin8(bc(math.Pi).Mul(t.Sub(t.RoundToEvenScaled(0))))
	den = sin8(bc(math.Pi).Mul(d))
	zero := d.Equal(bc(0))
	return bc(n).Merge(num, zero), bc(1).Merge(den, zero)
}

func (avx512Sums) square8(soa []float64, nt, j int, S, n [3]float64, cForm bool, hOut, kOut, lOut, fOut *[8]float64) {
	field := func(f int) f8 { return archsimd.LoadFloat64x8SlicePart(soa[f*nt+j : (f+1)*nt]) }
	s0, s1, s2 := bc(S[0]), bc(S[1]), bc(S[2])
	// h = a.S, k = b.S, l = c.S, left to right as millerIndices.
	h := field(0).Mul(s0).Add(field(1).Mul(s1)).Add(field(2).Mul(s2))
	k := field(3).Mul(s0).Add(field(4).Mul(s1)).Add(field(5).Mul(s2))
	l := field(6).Mul(s0).Add(field(7).Mul(s1)).Add(field(8).Mul(s2))
	h.Store(hOut)
	k.Store(kOut)
	l.Store(lOut)
	if cForm {
		sincgC8(h, n[0]).Mul(sincgC8(k, n[1])).Mul(sincgC8(l, n[2])).Store(fOut)
		return
	}
	pa, qa := dirichlet8(h, n[0])
	pb, qb := dirichlet8(k, n[1])
	pc, qc := dirichlet8(l, n[2])
	p, q := pa.Mul(pb).Mul(pc), qa.Mul(qb).Mul(qc)
	p.Mul(p).Div(q.Mul(q)).Store(fOut)
}
