package graph

import (
	"math"

	"gobragg/physics"
)

// sumKind selects the phi x mosaic stage of a forward-only pixel. The
// choice is made once per pixel from the run's switches, so the loop body
// carries no per-subpath tests on shape, N or the structure-factor source.
type sumKind int

const (
	// sumGeneral: every feature (interpolation, running sums, traces, any
	// shape, non-integer N) through pixelState.termsGeneral.
	sumGeneral sumKind = iota
	// sumSquareC: square shape, integer N > 1, C's sincg arguments.
	sumSquareC
	// sumSquareDelta: square shape, integer N > 1, sincg from the distance
	// to the nearest node with one division per subpath.
	sumSquareDelta
)

// fastSum returns the lattice-sum stage a pixel may use (forward: the two
// sums below; backward: gradSquare, which needs no C bits; the trace
// always takes the general stage).
func (s *Setup) fastSum(in *inputs, r *rules) sumKind {
	if r.general {
		return sumGeneral
	}
	for _, n := range in.scal[scalNa : scalNc+1] {
		if n <= 1 || n != math.Trunc(n) {
			return sumGeneral
		}
	}
	if s.Quirks.SincgFromIndex {
		return sumSquareC
	}
	return sumSquareDelta
}

// cellLookup returns F_cell by nearest-neighbour lookup: the table entry
// at C's rounding of (h, k, l), or default_F outside the table.
func (s *Setup) cellLookup(in *inputs, h, k, l, defaultF float64) float64 {
	if s.Grid.Count == 0 {
		return defaultF
	}
	if idx := s.Grid.index(int(math.Ceil(h-0.5)), int(math.Ceil(k-0.5)), int(math.Ceil(l-0.5))); idx >= 0 {
		return in.F[idx]
	}
	return defaultF
}

// millerIndices returns the fractional indices h = a.S, k = b.S, l = c.S
// for the lattice vectors L (a, b, c, 3 each), summed left to right as C.
func millerIndices(L []float64, S [3]float64) (h, k, l float64) {
	L = L[:9:9]
	h = L[0]*S[0] + L[1]*S[1] + L[2]*S[2]
	k = L[3]*S[0] + L[4]*S[1] + L[5]*S[2]
	l = L[6]*S[0] + L[7]*S[1] + L[8]*S[2]
	return
}

// miller is one term's Miller indices (dimensionless): the fractional
// h, k, l and the nearest node h0, k0, l0 by C's rounding, ceil(x-0.5),
// kept as float64 as the lattice shapes use them.
type miller struct {
	h, k, l    float64
	h0, k0, l0 float64
}

// setNearest sets the nearest node h0, k0, l0 from h, k, l by C's rounding.
// (Small enough to inline: a function returning a miller from L and S
// would copy S through the stack once more per term, which costs the
// general path a quarter of its time in store-forwarding stalls.)
func (m *miller) setNearest() {
	m.h0 = math.Ceil(m.h - 0.5)
	m.k0 = math.Ceil(m.k - 0.5)
	m.l0 = math.Ceil(m.l - 0.5)
}

// xtal is the crystal's scalars that F_latt depends on (dimensionless):
// the number of cells along a, b and c and the shape's fudge factor.
type xtal struct {
	na, nb, nc, fudge float64
}

// xtalOf reads the crystal's scalars from the inputs.
func xtalOf(in *inputs) xtal {
	return xtal{na: in.scal[scalNa], nb: in.scal[scalNb], nc: in.scal[scalNc], fudge: in.scal[scalFudge]}
}

// sumSquare adds w·F_cell²·F_latt² of every phi step and mosaic domain of
// one subpath (scattering vector S, lattice rows lat) to I in C's order and
// returns I. Only the forward pass of the square shape with integer N > 1
// and without interpolation comes here (see fastSum); w == 1 leaves each
// term's bits unchanged, and with -water 0 a term whose F_latt is 0 is
// skipped as C does. cForm evaluates F_latt as C does, sin(πh·N)/sin(πh)
// per axis; otherwise F_latt² comes from the distances to the nearest node
// with one division for the three axes.
func (s *Setup) sumSquare(in *inputs, I, w float64, lat []float64, S [3]float64, cForm bool) float64 {
	na, nb, nc := in.scal[scalNa], in.scal[scalNb], in.scal[scalNc]
	for b := 0; b+9 <= len(lat); b += 9 {
		h, k, l := millerIndices(lat[b:], S)
		var f float64
		if cForm {
			f = physics.LatticeSquareInt(h, k, l, na, nb, nc)
		} else {
			f = physics.LatticeSquare2Delta(h, k, l, na, nb, nc)
		}
		I = s.addSquareTerm(in, I, w, h, k, l, f, cForm)
	}
	return I
}

// addSquareTerm adds one term w·F_cell²·F_latt² to I, f being F_latt
// (cForm) or F_latt².
func (s *Setup) addSquareTerm(in *inputs, I, w, h, k, l, f float64, cForm bool) float64 {
	if f == 0 && s.WaterZero {
		return I
	}
	fc := in.scal[scalDefaultF]
	if s.Grid.Count > 0 {
		fc = s.cellLookup(in, h, k, l, fc)
	}
	if cForm {
		// C: I += F_cell*F_cell*F_latt*F_latt, left to right.
		return I + w*(fc*fc*f*f)
	}
	return I + w*(fc*fc*f)
}
