package graph

import (
	"math"
	"testing"

	"gobragg/crand"
	"gobragg/dual"
)

// A domain of the rocking mosaic is its isotropic turn followed by a turn
// about the spindle by rocking * z: so a lattice vector it carries is the
// isotropically turned vector rotated about the spindle, which is what a
// phi offset of rocking * z would do to it.
func TestSpindleUmats(t *testing.T) {
	const tol = 1e-14 // rounding of a few products of unit-sized numbers
	draws := [][3]float64{{0.1, 0.2, 0.3}, {0.4, -0.5, 0.6}, {0.7, 0.8, -0.9}}
	z := []float64{0, -0.67, 0.67}
	axis := [3]float64{0.6, 0, 0.8}
	x := dual.V3(0.3, -1.2, 2.5)
	for _, tc := range []struct {
		name            string
		spread, rocking float64
	}{
		{"rocking only", 0, 0.01},
		{"both", 0.005, 0.02},
		{"isotropic only", 0.005, 0},
	} {
		u := domainUmats(draws, crand.MosaicUmat, dual.C(tc.spread), dual.C(tc.rocking), z, axis)
		for m := range draws {
			var um dual.Mat3
			copy(um[:], u[9*m:9*m+9])
			got := um.Apply(x)
			want := x
			if m > 0 {
				want = crand.MosaicUmat(dual.C(tc.spread), draws[m][0], draws[m][1], draws[m][2]).Apply(x)
			}
			want = want.RotateAxis(dual.V3(axis[0], axis[1], axis[2]), dual.C(tc.rocking*z[m]))
			for i := range got {
				if math.Abs(got[i].V-want[i].V) > tol {
					t.Errorf("%s, domain %d: component %d is %.17g, want %.17g", tc.name, m, i, got[i].V, want[i].V)
				}
			}
		}
	}
}

// A quantile list that does not match the domains is an error, not a
// silent partial rocking.
func TestSpindleQuantileCount(t *testing.T) {
	e := &Experiment{MosaicDraws: make([][3]float64, 3), SpindleQuantiles: []float64{0, 1}, Params: NewParams()}
	if err := e.umatFunc([3]float64{1, 0, 0}).Forward([][]float64{nil}, make([]float64, 27)); err == nil {
		t.Error("2 quantiles for 3 domains: no error")
	}
}
