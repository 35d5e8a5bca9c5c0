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
	if vectorSums == nil {
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
					want := s.sumSquareDelta(&in, 1.5, w, in.lattice[:nt*9], S)
					if cForm {
						want = s.sumSquareCArgs(&in, 1.5, w, in.lattice[:nt*9], S)
					}
					got := s.sumSquareVec(&in, 1.5, w, soa, S, cForm)
					if math.Float64bits(got) != math.Float64bits(want) {
						t.Fatalf("nt %d table %v C form %v S %v: vector %.17g, scalar %.17g", nt, table, cForm, S, got, want)
					}
				}
			}
		}
	}
}
