//go:build goexperiment.simd && amd64

package graph

import (
	"math"
	"simd/archsimd"

	"gobragg/physics"
)

// simdBuild is true: this build has the vector lattice sums, used when the
// CPU has AVX-512.
const simdBuild = true

func init() {
	vectorSums = archsimd.X86.AVX512()
	hasAVX = archsimd.X86.AVX()
}

// hasAVX reports whether the CPU has VZEROUPPER (clearUpper).
var hasAVX bool

// clearUpper clears the upper halves of the vector registers before
// scalar code that mixes VEX and legacy SSE instructions (math.Exp's FMA
// path): with them dirty it ran 102 times slower on an AVX-512 Xeon
// (BenchmarkExpAfterVectorCode), and the wedge fit's Gaussian spots at
// less than half speed.
func clearUpper() {
	if hasAVX {
		archsimd.ClearAVXUpperBits()
	}
}

// The forward sums' vector steps are separate IEEE multiplies, adds,
// divisions and roundings, as in the scalar code (no fused multiply-add), so
// each lane gives the scalar bits. AVX-512: eight float64 lanes.

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

func square8(soa []float64, nt, j int, S, n [3]float64, cForm bool, hOut, kOut, lOut, fOut *[8]float64) {
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

// sinCos8 returns physics' sinHalfPi and cosHalfPi per lane (with fused
// multiply-adds), |u| ≤ π/2.
func sinCos8(u f8) (sin, cos f8) {
	c, d := physics.SinHalfPiCoeff(), physics.CosHalfPiCoeff()
	s := u.Mul(u)
	p, q := bc(c[7]), bc(d[7])
	for i := 6; i >= 0; i-- {
		p = p.MulAdd(s, bc(c[i]))
		q = q.MulAdd(s, bc(d[i]))
	}
	sin = u.Mul(s).MulAdd(p, u)
	cos = s.Mul(s).MulAdd(q, bc(1).Sub(bc(0.5).Mul(s)))
	return sin, cos
}

// sincgGrad8 is physics.LatticeSquareDeltaGrad's quotient for one axis;
// u = π·d is the distance to the node (the quotient rule cancels as u → 0).
func sincgGrad8(h f8, n float64) (f, dh, dn, u f8) {
	d := h.Sub(h.RoundToEvenScaled(0))
	t := bc(n).Mul(d)
	pi := bc(math.Pi)
	v := pi.Mul(t.Sub(t.RoundToEvenScaled(0)))
	u = pi.Mul(d)
	sv, cv := sinCos8(v)
	su, cu := sinCos8(u)
	r := bc(1).Div(su)
	f = sv.Mul(r)
	dh = pi.Mul(bc(n).Mul(cv).Sub(f.Mul(cu))).Mul(r)
	dn = u.Mul(cv).Mul(r)
	return f, dh, dn, u
}

func squareGradVec(g *squareGrad, lat, soa, gsoa []float64, n [3]float64) {
	nt := len(lat) / 9
	s := g.s
	table := s.Grid.Count > 0
	S := [3]f8{bc(g.S[0]), bc(g.S[1]), bc(g.S[2])}
	gt2 := bc(2 * g.gt)
	var gN [3]f8
	var gS [3]f8
	var sumT, gDef f8
	var lanes [4][8]float64
	var ids [8]int // the lanes' table indices, -1 outside the table
	for j := 0; j < nt; j += 8 {
		rest := min(8, nt-j)
		valid := archsimd.Mask64x8FromBits(uint8(uint16(1)<<rest - 1))
		var L [9]f8
		for f := range L {
			L[f] = archsimd.LoadFloat64x8SlicePart(soa[f*nt+j : (f+1)*nt])
		}
		idx := [3]f8{
			L[0].Mul(S[0]).Add(L[1].Mul(S[1])).Add(L[2].Mul(S[2])),
			L[3].Mul(S[0]).Add(L[4].Mul(S[1])).Add(L[5].Mul(S[2])),
			L[6].Mul(S[0]).Add(L[7].Mul(S[1])).Add(L[8].Mul(S[2])),
		}
		var fv, dh, dn [3]f8
		near := archsimd.Mask64x8FromBits(0)
		for a := range idx {
			var u f8
			fv[a], dh[a], dn[a], u = sincgGrad8(idx[a], n[a])
			near = near.Or(u.Mul(u).Less(bc(1e-8)))
			// Lanes past the last term (zeros loaded) contribute nothing.
			fv[a], dh[a], dn[a] = fv[a].Masked(valid), dh[a].Masked(valid), dn[a].Masked(valid)
		}
		if near.And(valid).ToBits() != 0 {
			g.terms(lat, j, j+rest, n)
			continue
		}
		F := fv[0].Mul(fv[1]).Mul(fv[2])
		Fc := bc(g.defaultF)
		if table {
			for a := range idx {
				idx[a].Store(&lanes[a])
			}
			for i := range rest {
				h, k, l := lanes[0][i], lanes[1][i], lanes[2][i]
				ids[i] = s.Grid.index(int(math.Ceil(h-0.5)), int(math.Ceil(k-0.5)), int(math.Ceil(l-0.5)))
				lanes[3][i] = g.defaultF
				if ids[i] >= 0 {
					lanes[3][i] = g.in.F[ids[i]]
				}
			}
			Fc = archsimd.LoadFloat64x8(&lanes[3])
		}
		F2 := F.Mul(F)
		sumT = sumT.Add(Fc.Mul(Fc).Mul(F2).Masked(valid))
		gFc := gt2.Mul(Fc).Mul(F2).Masked(valid)
		gFl := gt2.Mul(Fc).Mul(Fc).Mul(F).Masked(valid)
		others := [3]f8{fv[1].Mul(fv[2]), fv[0].Mul(fv[2]), fv[0].Mul(fv[1])}
		for a := range idx {
			ga := gFl.Mul(others[a])
			gN[a] = ga.MulAdd(dn[a], gN[a])
			gi := ga.Mul(dh[a])
			for c := range 3 {
				// h = a.S: the lattice adjoint of field 3a+c is gh·S_c.
				f := 3*a + c
				acc := archsimd.LoadFloat64x8SlicePart(gsoa[f*nt+j : (f+1)*nt])
				gi.MulAdd(S[c], acc).StoreSlicePart(gsoa[f*nt+j : (f+1)*nt])
				gS[c] = gi.MulAdd(L[f], gS[c])
			}
		}
		if table {
			gFc.Store(&lanes[3])
			for i := range rest {
				if id := ids[i]; id >= 0 {
					g.acc.addF(id, lanes[3][i])
				} else {
					g.gDefault += lanes[3][i]
				}
			}
		} else {
			gDef = gDef.Add(gFc)
		}
	}
	g.gNa += hsum(gN[0])
	g.gNb += hsum(gN[1])
	g.gNc += hsum(gN[2])
	if !table { // with a table the terms' F adjoints went to the table
		g.gDefault += hsum(gDef)
	}
	for c := range 3 {
		g.gS[c] += hsum(gS[c])
	}
	g.sumT += hsum(sumT)
}

// hsum adds the lanes of v as a tree (halves, then quarters): the
// backward pass needs no particular order, and the tree has a third of
// the serial chain's latency.
func hsum(v f8) float64 {
	q := v.GetLo().Add(v.GetHi())
	p := q.GetLo().Add(q.GetHi())
	return p.GetElem(0) + p.GetElem(1)
}
