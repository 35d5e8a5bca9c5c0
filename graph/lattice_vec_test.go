package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestVectorSumsMatchScalar: the SIMD lattice sums (GOEXPERIMENT=simd on a
// CPU with the instructions) give the scalar sums' bits in both forms, with
// and without a structure-factor table; the test skips in builds without
// them.
func TestVectorSumsMatchScalar(t *testing.T) {
	if !vectorSums {
		t.Skip("no vector lattice sums in this build (make test builds with GOEXPERIMENT=simd) or on this CPU")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, nt := range []int{1, 7, 8, 10, 100, 13} {
		for _, table := range []bool{false, true} {
			s := &Setup{NPhi: 1, NMos: nt}
			in := inputs{scal: make([]float64, scalLen)}
			in.scal[scalNa], in.scal[scalNb], in.scal[scalNc], in.scal[scalDefaultF] = 10, 36, 3, 100
			if table {
				s.Grid = GridShape{Hmin: -5, Hmax: 5, Kmin: -5, Kmax: 5, Lmin: -5, Lmax: 5, Count: 1331}
				in.F = make([]float64, s.Grid.size())
				for i := range in.F {
					in.F[i] = r.Float64() * 1000
				}
			}
			in.lattice = make([]float64, 2*nt*9)
			for i := range in.lattice {
				in.lattice[i] = (r.Float64() - 0.5) * 2e-9
			}
			if nt > 3 { // a term on a node for the integral S below
				copy(in.lattice[9*2:9*3], []float64{1e-9, 0, 0, 0, 1e-9, 0, 0, 0, 1e-9})
			}
			soa := latticeFields(in.lattice, nt)[:9*nt]
			for trial := 0; trial < 200; trial++ {
				S := [3]float64{(r.Float64() - 0.5) * 4e10, (r.Float64() - 0.5) * 4e10, (r.Float64() - 0.5) * 4e10}
				if trial == 0 {
					S = [3]float64{3e9, -2e9, 5e9}
				}
				w := 0.7
				for _, cForm := range []bool{true, false} {
					want := s.sumSquare(&in, 1.5, w, in.lattice[:nt*9], S, cForm)
					got := s.sumSquareVec(&in, 1.5, w, soa, S, cForm)
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("nt %d table %v C form %v S %v: vector %.17g, scalar %.17g", nt, table, cForm, S, got, want)
					}
				}
			}
		}
	}
}

// TestVectorGradMatchesScalar: the backward lattice sum with the vector
// factors agrees with the scalar one. The two evaluate the same quotients,
// one with fused multiply-adds; the index derivative's quotient rule
// cancels by about 1/(N·u)² next to a node (series below u = 1e-4), so
// the agreement is 1e-12 relative on sums over random terms, 1e-9 at worst.
func TestVectorGradMatchesScalar(t *testing.T) {
	if !vectorSums {
		t.Skip("no vector lattice sums in this build (make test builds with GOEXPERIMENT=simd) or on this CPU")
	}
	const tol = 1e-9
	r := rand.New(rand.NewPCG(3, 4))
	for _, nt := range []int{1, 8, 13, 100} {
		s := &Setup{NPhi: 1, NMos: nt}
		in := inputs{scal: make([]float64, scalLen)}
		in.scal[scalNa], in.scal[scalNb], in.scal[scalNc], in.scal[scalDefaultF] = 10, 36, 3, 100
		in.lattice = make([]float64, 2*nt*9)
		for i := range in.lattice {
			in.lattice[i] = (r.Float64() - 0.5) * 2e-9
		}
		soa := latticeFields(in.lattice, nt)[:9*nt]
		sizes := s.Sizes()
		for trial := 0; trial < 50; trial++ {
			S := [3]float64{(r.Float64() - 0.5) * 4e10, (r.Float64() - 0.5) * 4e10, (r.Float64() - 0.5) * 4e10}
			var gS [2][3]float64
			var sum [2]float64
			var accs [2]*gradAcc
			for v, useSoA := range [][]float64{nil, soa} {
				accs[v] = newGradAcc(s, make([]float64, 1), make([]bool, 1))
				gS[v], sum[v] = s.gradSquare(accs[v], &in, 0.3, 0.7, in.lattice[:nt*9], useSoA, 0, S)
				accs[v].foldLattice(nt)
			}
			close := func(a, b float64) bool { return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))+1e-300 }
			for i := range 3 {
				if !close(gS[0][i], gS[1][i]) {
					t.Fatalf("nt %d: dS[%d] scalar %v vector %v", nt, i, gS[0][i], gS[1][i])
				}
			}
			if !close(sum[0], sum[1]) {
				t.Fatalf("nt %d: sum scalar %v vector %v", nt, sum[0], sum[1])
			}
			for i := 0; i < sizes[0]/2; i++ {
				if !close(accs[0].lattice[i], accs[1].lattice[i]) {
					t.Fatalf("nt %d: d lattice[%d] scalar %v vector %v", nt, i, accs[0].lattice[i], accs[1].lattice[i])
				}
			}
			for i := range accs[0].scal {
				if !close(accs[0].scal[i], accs[1].scal[i]) {
					t.Fatalf("nt %d: d scal[%d] scalar %v vector %v", nt, i, accs[0].scal[i], accs[1].scal[i])
				}
			}
		}
	}
}
