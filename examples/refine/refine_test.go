package main

import (
	"io"
	"math"
	"testing"

	"gobragg/graph"
)

// TestRefineRecoversParameters refines three parameters on a 48x48
// detector from a perturbed start and checks that the truth comes back.
func TestRefineRecoversParameters(t *testing.T) {
	su := setup{
		Pixels: 48,
		Params: []parameter{
			{graph.PDistance, 1, 0.8},
			{graph.PXbeam, 0.1, -0.3},
			{graph.PMissetZ, 0.1, 0.1},
		},
		MaxIter: 60,
	}
	out := io.Discard
	if testing.Verbose() {
		out = testWriter{t}
	}
	r, err := refine(out, su)
	if err != nil {
		t.Fatal(err)
	}
	if !(r.Loss < 1e-6*r.Loss0) {
		t.Errorf("squared error %g -> %g: want a reduction by 1e6", r.Loss0, r.Loss)
	}
	// A noise-free target: the minimum is the truth, reached to far better
	// than a thousandth of the starting error.
	for i, q := range su.Params {
		if e := math.Abs(r.Final[i] - r.Truth[i]); !(e < 1e-3*math.Abs(q.shift)) {
			t.Errorf("%s: refined %.9g, true %.9g (start %.9g)", q.name, r.Final[i], r.Truth[i], r.Start[i])
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
