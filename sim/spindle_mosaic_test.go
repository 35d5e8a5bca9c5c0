package sim

import (
	"math"
	"strings"
	"testing"

	"gobragg/config"
	"gobragg/graph"
)

// -mosaic_spindle gives every domain but the first a normal mid-quantile
// of equal strata, symmetric about 0, and a refinable mosaic_spindle
// parameter; it is refused where it cannot act.
func TestMosaicSpindle(t *testing.T) {
	const args = "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -pixel 0.4 -distance 60 -detpixels 8 -mosaic 0.3 -mosaic_dom 5 -mosaic_spindle 0.2"
	p := prepareArgs(t, "-mode spec "+args)
	z := p.Exp.SpindleQuantiles
	if len(z) != 5 || z[0] != 0 {
		t.Fatalf("quantiles %v, want 5 with domain 0 at 0", z)
	}
	const tol = 1e-12 // the normal quantile's own accuracy
	for m := 1; m <= 2; m++ {
		if math.Abs(z[m]+z[5-m]) > tol {
			t.Errorf("quantiles %d and %d: %g and %g, want opposite", m, 5-m, z[m], z[5-m])
		}
	}
	if math.Abs(z[1]-(-1.1503493803760079)) > tol { // Phi^-1(1/8)
		t.Errorf("quantile 1 is %.17g, want Phi^-1(0.125)", z[1])
	}
	if v, ok := p.Exp.Params.Get(graph.PMosaicSpindle); !ok || math.Abs(v-0.2*math.Pi/180) > 1e-15 {
		t.Errorf("mosaic_spindle parameter %g (%v), want 0.2 degrees in radians", v, ok)
	}
	for _, tc := range []struct{ name, args string }{
		{"c-parity", "-mode c-parity " + args},
		{"no isotropic spread", "-mode spec " + strings.Replace(args, "-mosaic 0.3", "", 1)},
		{"one domain", "-mode spec " + strings.Replace(args, "-mosaic_dom 5", "-mosaic_dom 1", 1)},
		{"negative", "-mode spec " + strings.Replace(args, "-mosaic_spindle 0.2", "-mosaic_spindle -0.2", 1)},
	} {
		s, err := config.Parse(strings.Fields(tc.args))
		if err == nil {
			_, err = Prepare(s, Dirs{NoDump: true})
		}
		if err == nil || !strings.Contains(err.Error(), "-mosaic_spindle") {
			t.Errorf("%s: %v, want a refusal naming -mosaic_spindle", tc.name, err)
		}
	}
}
