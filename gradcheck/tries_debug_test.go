package gradcheck_test

import (
	"strings"
	"testing"
)

func TestXcloseDebug(t *testing.T) {
	custom := strings.Fields(`-fdet_vector -0.033469730 -0.053230332 0.998021197
		-sdet_vector 0.027966946 -0.998239517 -0.052304075 -odet_vector 0.999048361 0.026161002 0.034899497
		-beam_vector 0.999950004 0.009999833 0`)
	noBeam := without(without(baseArgs, "-Xbeam", 1), "-Ybeam", 1)
	mk := func(x string) []string {
		return append(append(without(without(noBeam, "-distance", 1), "-twotheta", 1), custom...),
			"-twotheta_axis", "0", "0", "-1", "-twotheta", "2", "-close_distance", "95", "-Xclose", x, "-Yclose", "3.6")
	}
	lp, _ := prepare(t, "spec", mk("4.201"), false).Loss()
	lm, _ := prepare(t, "spec", mk("4.199"), false).Loss()
	p := prepare(t, "spec", mk("4.2"), false)
	_, g, _, _ := p.Gradient()
	t.Logf("C-semantics FD dL/dXclose = %.6e per m; graph: dL/dXclose %.6e dL/dXbeam %.6e", (lp-lm)/2e-6, g["Xclose"], g["Xbeam"])
	t.Logf("%s", p.Exp.Params)
}
