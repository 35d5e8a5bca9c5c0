package refine_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gobragg/graph"
	"gobragg/refine"
)

// TestBlankStartRefused: a structure-factor table without the reflections
// of the frame, whose missing entries are default_F 0, leaves the model
// blank; refining anything but the background is refused with
// ErrNoSignal (and ErrBadInput), refining the background alone is not.
func TestBlankStartRefused(t *testing.T) {
	far := filepath.Join(t.TempDir(), "far.hkl")
	if err := os.WriteFile(far, []byte("20 20 20 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	counts := make([]float64, 160*160)
	for i := range counts {
		counts[i] = 3
	}
	for _, c := range []struct {
		names   []string
		refused bool
	}{{[]string{"scale"}, true}, {[]string{"background", "distance"}, true}, {[]string{"background"}, false}} {
		p := prepare(t, append(append([]string(nil), simArgs...), "-hkl", far, "-default_F", "0")...)
		p.Exp.Params.Set(graph.PBackground, 1)
		_, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "flat", Exp: p.Exp, Counts: counts}},
			Names: c.names, Likelihood: refine.Poisson{}}, refine.Settings{MaxIterations: 3}, nil)
		if got := errors.Is(err, refine.ErrNoSignal) && errors.Is(err, refine.ErrBadInput); got != c.refused {
			t.Errorf("%v: error %v, want refused with ErrNoSignal: %v", c.names, err, c.refused)
		}
	}
}
