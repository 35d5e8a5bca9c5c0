package refine_test

import (
	"errors"
	"math"
	"testing"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/refine"
	"gobragg/sim"
)

// TestSetValue: values in refine's reported units land in the graph's.
func TestSetValue(t *testing.T) {
	s, err := config.Parse([]string{"-cell", "50", "50", "50", "90", "90", "90", "-default_F", "10", "-detpixels", "8"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{NoDump: true})
	if err != nil {
		t.Fatal(err)
	}
	exp := p.Exp
	for _, tc := range []struct {
		name      string
		value     float64
		param     string
		wantGraph float64
	}{
		{"distance", 101, graph.PDistance, 0.101},
		{"energy", 12398.42, graph.PLambda, 1e-10},
		{"misset_x", 180 / math.Pi, graph.PMissetX, 1},
		{"Na", 7, graph.PNa, 7},
		{"scale", 2.5, graph.PScale, 2.5},
	} {
		if err := refine.SetValue(exp, tc.name, tc.value); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, _ := exp.Params.Get(tc.param)
		if math.Abs(got-tc.wantGraph) > 1e-12*math.Abs(tc.wantGraph) {
			t.Errorf("%s = %g: graph %s = %g, want %g", tc.name, tc.value, tc.param, got, tc.wantGraph)
		}
	}
	var up *refine.UnknownParameterError
	if err := refine.SetValue(exp, "panel3_dist", 1); !errors.As(err, &up) {
		t.Errorf("an unknown name: %v", err)
	}
	if err := refine.SetValue(exp, "Na", 0); err == nil {
		t.Error("Na = 0 cells was accepted")
	}
}
