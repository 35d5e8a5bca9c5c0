package physics

import (
	"math"
	"testing"
)

// latticeCase draws fractional indices, a tenth of them on or next to a node.
func latticeCase(r *rng) (h, k, l float64) {
	v := [3]float64{r.uniform(-40, 40), r.uniform(-40, 40), r.uniform(-40, 40)}
	for i := range v {
		switch r.intn(0, 19) {
		case 0:
			v[i] = math.Round(v[i])
		case 1:
			v[i] = math.Round(v[i]) + r.uniform(-1e-5, 1e-5)
		case 2:
			v[i] = 0
		}
	}
	return v[0], v[1], v[2]
}

func TestLatticeSquareFastForms(t *testing.T) {
	var r rng = 21
	ns := [][3]float64{{10, 10, 10}, {36, 47, 29}, {2, 3, 5}}
	for _, n := range ns {
		for i := 0; i < 20000; i++ {
			h, k, l := latticeCase(&r)
			// C's arguments: the same bits as LatticeSquare.
			if got, want := LatticeSquareInt(h, k, l, n[0], n[1], n[2]), LatticeSquare(h, k, l, n[0], n[1], n[2]); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("LatticeSquareInt(%v, %v, %v, %v) = %v, LatticeSquare %v", h, k, l, n, got, want)
			}
			// Delta form: the same bits as DirichletDelta per axis.
			idx := [3]float64{h, k, l}
			var p, q float64 = 1, 1
			for a := range idx {
				num, den := DirichletDelta(idx[a]-math.RoundToEven(idx[a]), n[a])
				p, q = p*num, q*den
			}
			if got, want := LatticeSquare2Delta(h, k, l, n[0], n[1], n[2]), (p*p)/(q*q); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("LatticeSquare2Delta(%v, %v, %v, %v) = %v, want %v", h, k, l, n, got, want)
			}
			// Gradient form: sign-free products against SincgDeltaGrad.
			f, dh, dn := LatticeSquareDeltaGrad(h, k, l, n[0], n[1], n[2])
			const tol = 1e-13 // two evaluations of the same quotients, a few ulps apart
			for a := range idx {
				wf, wdh, wdn := SincgDeltaGrad(idx[a], n[a])
				// The quotient rule for ∂/∂h cancels next to a node by about
				// 1/(n·u)², u = π·d: a few ulps times that (series within
				// u < 1e-4).
				nu := n[a] * math.Pi * (idx[a] - math.RoundToEven(idx[a]))
				tolH := tol + 1e-15/(nu*nu)
				if !closeTo(f[a]*f[a], wf*wf, tol, 0) || !closeTo(f[a]*dh[a], wf*wdh, tolH, tol*n[a]*n[a]) ||
					!closeTo(f[a]*dn[a], wf*wdn, tol, tol*n[a]) {
					t.Fatalf("axis %d at %v, n %v: (%v, %v, %v), SincgDeltaGrad (%v, %v, %v)", a, idx[a], n[a], f[a], dh[a], dn[a], wf, wdh, wdn)
				}
			}
		}
	}
}
