package graph

import (
	"math"
	"math/rand/v2"
	"testing"

	"gobragg/dual"
	"gobragg/physics"
)

// checkVJP compares a Func's vector-Jacobian product with central
// differences of <gOut, Forward(in)> for random inputs and adjoints.
func checkVJP(t *testing.T, f Func, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	in := make([][]float64, len(f.InSizes()))
	gIn := make([][]float64, len(in))
	for i, n := range f.InSizes() {
		in[i] = make([]float64, n)
		gIn[i] = make([]float64, n)
		for j := range in[i] {
			in[i][j] = rng.Float64()*2 - 1
		}
	}
	gOut := make([]float64, f.OutSize())
	for i := range gOut {
		gOut[i] = rng.Float64()*2 - 1
	}
	if err := f.VJP(in, gOut, gIn); err != nil {
		t.Fatal(err)
	}
	dotOut := func() float64 {
		out := make([]float64, f.OutSize())
		if err := f.Forward(in, out); err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for i, v := range out {
			s += gOut[i] * v
		}
		return s
	}
	// The functions here are at most quadratic in their inputs, so a
	// central difference with h = 1e-4 is exact up to rounding (~1e-10).
	const h, tol = 1e-4, 1e-8
	for i := range in {
		for j := range in[i] {
			x := in[i][j]
			in[i][j] = x + h
			p := dotOut()
			in[i][j] = x - h
			m := dotOut()
			in[i][j] = x
			fd := (p - m) / (2 * h)
			if math.Abs(fd-gIn[i][j]) > tol*math.Max(1, math.Abs(fd)) {
				t.Errorf("%s: input %d[%d]: VJP %g, central difference %g", f.Name(), i, j, gIn[i][j], fd)
			}
		}
	}
}

func TestFuncVJPs(t *testing.T) {
	for i, f := range []Func{
		pieceFunc{Label: "p", Off: 3, N: 4, Total: 9},
		selectFunc{Label: "s", Sizes: []int{4, 3}, Src: []int{6, 0, 0, 3, 5}},
		mosaicFunc{Slots: 2, NMos: 3, Rotate: true},
		mosaicFunc{Slots: 2, NMos: 2, Rotate: false},
		// Steps = r_e^2 keeps the photons of order one, so the
		// difference's tolerance is not met by tiny values alone.
		scaleFunc{Span: 3, NTheta: 2, Fluence: 1, Steps: physics.ReSqr},
		dualFunc{Label: "d", Sizes: []int{3, 2}, Out: 2, Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := dual.Vec3{in[0][0], in[0][1], in[0][2]}
			return []dual.Num{v.Dot(v), dual.Mul(in[1][0], dual.Sin(in[1][1]))}, nil
		}},
	} {
		checkVJP(t, f, uint64(i+1))
	}
}

// TestCarryOverPattern: in C-parity mode a phi step at exactly 0 takes the
// most recent rotation (the previous subpath's phi-final one for every
// subpath but the first, which keeps the unrotated lattice); spec mode uses
// every step's own rotation.
func TestCarryOverPattern(t *testing.T) {
	p := NewParams()
	p.Set(PPhi, 0)
	p.Set(PPhiStep, 0.1)
	e := &Experiment{Params: p, PhiSteps: 3}
	const a0 = 3 * 9 // offset of the unrotated lattice in the select's inputs
	for _, tc := range []struct {
		quirks     Quirks
		row0, row1 int // source of phi step 0 for the first and the other subpaths
	}{
		{CQuirks(), a0, 2 * 9},
		{Quirks{}, 0, 0},
	} {
		e.Setup.Quirks = tc.quirks
		sel, carried := e.carryFunc()
		if sel.Src[0] != tc.row0 || sel.Src[3*9] != tc.row1 {
			t.Errorf("quirks %+v: phi step 0 reads %d (first subpath) and %d (others), want %d and %d",
				tc.quirks, sel.Src[0], sel.Src[3*9], tc.row0, tc.row1)
		}
		if carried[0] != tc.quirks.CarryOver || carried[1] || carried[2] {
			t.Errorf("quirks %+v: carried %v", tc.quirks, carried)
		}
		for step := 1; step < 3; step++ {
			for row := 0; row < 2; row++ {
				if got := sel.Src[(row*3+step)*9]; got != step*9 {
					t.Errorf("quirks %+v: row %d step %d reads %d, want its own rotation %d", tc.quirks, row, step, got, step*9)
				}
			}
		}
	}
}
