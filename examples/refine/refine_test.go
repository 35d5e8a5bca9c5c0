package main

import (
	"io"
	"math"
	"testing"
)

// TestExampleRecoversTruth runs the example on a 96x96 frame from three
// random starts: each converges and every parameter comes back within 4
// standard errors (10 pulls of a correct fit exceed 3 one time in 40).
func TestExampleRecoversTruth(t *testing.T) {
	var w io.Writer = io.Discard
	if testing.Verbose() {
		w = testWriter{t}
	}
	for start := uint64(1); start <= 3; start++ {
		checkExample(t, w, start)
	}
}

func checkExample(t *testing.T, w io.Writer, start uint64) {
	res, err := run(w, 96, 2, start)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged {
		t.Errorf("start %d: did not converge: %s", start, res.Reason)
	}
	if len(res.Parameters) != len(offsets) {
		t.Fatalf("%d parameters refined, want %d", len(res.Parameters), len(offsets))
	}
	truth := map[string]float64{"cell_a": 70, "cell_c": 90, "misset_x": 10, "misset_y": 20, "misset_z": 30,
		"Na": 5, "distance": 100, "Xbeam": 4.85, "Ybeam": 4.85, "scale": 1} // beam centre: (96 + 1) * 0.1 / 2 mm
	for _, p := range res.Parameters {
		if pull := (p.Value - truth[p.Name]) / p.Sigma; !(math.Abs(pull) < 4) {
			t.Errorf("start %d: %s = %g +- %g, truth %g", start, p.Name, p.Value, p.Sigma, truth[p.Name])
		}
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }
