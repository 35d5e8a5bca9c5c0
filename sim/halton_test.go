package sim

import (
	"strings"
	"testing"

	"gobragg/config"
	"gobragg/crand"
)

// -mosaic_halton places domain m on the (m+1)-th Halton point, in spec
// mode only.
func TestMosaicHalton(t *testing.T) {
	const args = "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -pixel 0.4 -distance 60 -detpixels 8 -mosaic 0.3 -mosaic_dom 4 -mosaic_halton"
	p := prepareArgs(t, "-mode spec "+args)
	if len(p.Exp.MosaicDraws) != 4 {
		t.Fatalf("%d domains, want 4", len(p.Exp.MosaicDraws))
	}
	for m, d := range p.Exp.MosaicDraws {
		r1, r2, r3 := crand.HaltonDraw(m + 1)
		if d != [3]float64{r1, r2, r3} {
			t.Errorf("domain %d draws %v, want the Halton point %v", m, d, [3]float64{r1, r2, r3})
		}
	}
	s, err := config.Parse(strings.Fields("-mode c-parity " + args))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Prepare(s, Dirs{NoDump: true}); err == nil || !strings.Contains(err.Error(), "-mosaic_halton") {
		t.Errorf("c-parity with -mosaic_halton: %v, want a refusal naming it", err)
	}
}
