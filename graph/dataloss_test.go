package graph

import (
	"math"
	"testing"
)

// TestPixelLoss: each likelihood's term and derivative, and the means no
// Poisson model can have (negative anywhere, zero under counts) refused as
// +Inf, so that no fit lowers its loss by driving them there.
func TestPixelLoss(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name           string
		kind           Loss
		y, mu, readVar float64
		term, dmu      float64
		refused        bool
	}{
		{"poisson", LossPoisson, 4, 2, 0, 2 - 4*math.Log(2), 1 - 4.0/2, false},
		{"poisson no counts", LossPoisson, 0, 0.5, 0, 0.5, 1, false},
		{"poisson zero mean, no counts", LossPoisson, 0, 0, 0, 0, 1, false},
		{"poisson negative mean, no counts", LossPoisson, 0, -0.5, 0, inf, 0, true},
		{"poisson zero mean under counts", LossPoisson, 3, 0, 0, inf, 0, true},
		{"gaussian", LossGaussian, 3, 2, 1, 0.5 * (math.Log(2*math.Pi*3) + 1.0/3), 0.5/3 - 1.0/3 - 0.5/9, false},
	} {
		term, dmu := PixelLoss(tc.kind, tc.y, tc.mu, tc.readVar)
		if tc.refused {
			if !math.IsInf(term, 1) {
				t.Errorf("%s: term %g, want +Inf", tc.name, term)
			}
			continue
		}
		// tolerance: a few roundings of float64 arithmetic
		if math.Abs(term-tc.term) > 1e-12*max(1, math.Abs(tc.term)) || math.Abs(dmu-tc.dmu) > 1e-12 {
			t.Errorf("%s: term %g, d/dmu %g; want %g, %g", tc.name, term, dmu, tc.term, tc.dmu)
		}
	}
}
