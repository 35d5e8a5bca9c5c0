package graph

import (
	"math"
	"testing"
)

// TestLookupOption: names, aliases and the converted units of the one
// parameter registry, and ToGraph/FromGraph as inverses with the right
// derivative.
func TestLookupOption(t *testing.T) {
	exp := &Experiment{PhiSteps: 4}
	for _, tc := range []struct {
		name, param, unit string
		v                 float64
	}{
		{"distance", PDistance, "mm", 100},
		{"wave", PLambda, "Angstrom", 1.1},
		{"energy", PLambda, "eV", 12000},
		{"osc", PPhiStep, "degree", 0.5},
		{"misset_x", PMissetX, "degree", 12},
		{"scale", PScale, "counts/photon", 2},
		{"mat_23", MatParam(1, 2), "as in the -mat file", 0.01},
		{"panel3_dist", PanelParam(3, "dist"), "mm", 0.1},
	} {
		o, ok := LookupOption(tc.name)
		if !ok || o.Param != tc.param || o.Unit != tc.unit {
			t.Errorf("%s: %+v, %v; want parameter %s in %s", tc.name, o, ok, tc.param, tc.unit)
			continue
		}
		g, d := o.ToGraph(exp, tc.v)
		if back := o.FromGraph(exp, g); math.Abs(back-tc.v) > 1e-12*math.Abs(tc.v) {
			t.Errorf("%s: FromGraph(ToGraph(%g)) = %g", tc.name, tc.v, back)
		}
		h := 1e-6 * tc.v
		gp, _ := o.ToGraph(exp, tc.v+h)
		gm, _ := o.ToGraph(exp, tc.v-h)
		if fd := (gp - gm) / (2 * h); math.Abs(d-fd) > 1e-6*math.Abs(fd) {
			t.Errorf("%s: d graph / d option = %g, central difference %g", tc.name, d, fd)
		}
	}
	if _, ok := LookupOption("mosaicity"); ok {
		t.Error("an unknown name was found")
	}
	names := OptionNames()
	for _, want := range []string{"energy", "osc", "wave", "scale", "background", "cell_a", "mat_11"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("OptionNames lacks %s", want)
		}
	}
}
