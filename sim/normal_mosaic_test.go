package sim

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/config"
	"gobragg/crand"
	"gobragg/dual"
)

// -mosaic_normal turns the domains by crand.NormalMosaicUmat of the same
// draws, so a spot's rocking curve has normal tails instead of the cap's
// bounded ones; it is refused in c-parity mode.
func TestMosaicNormal(t *testing.T) {
	const args = "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -pixel 0.4 -distance 60 -detpixels 8 -mosaic 0.3 -mosaic_dom 5 -mosaic_halton"
	normal := prepareArgs(t, "-mode spec -mosaic_normal "+args)
	capped := prepareArgs(t, "-mode spec "+args)
	if !normal.Exp.MosaicNormal || capped.Exp.MosaicNormal {
		t.Fatalf("MosaicNormal %v with -mosaic_normal and %v without", normal.Exp.MosaicNormal, capped.Exp.MosaicNormal)
	}
	draws := normal.Exp.MosaicDraws
	if len(draws) != 5 {
		t.Fatalf("%d draws, want 5", len(draws))
	}
	for m, r := range draws {
		if r != capped.Exp.MosaicDraws[m] {
			t.Errorf("domain %d: draws %v, without -mosaic_normal %v: the flag changes the turn, not the draws", m, r, capped.Exp.MosaicDraws[m])
		}
	}
	// Domain 1 (Halton point 2: deviates -1/2, 1/3, -1/5) turns by the
	// spread times the length of the normal quantiles of 1/4, 2/3, 2/5
	// under -mosaic_normal, and by (1 - (1/5)^2)^(1/3) of it in C's cap.
	spread := 0.3 * math.Pi / 180
	r := draws[1]
	z := [3]float64{distuv.UnitNormal.Quantile(0.25), distuv.UnitNormal.Quantile(2.0 / 3), distuv.UnitNormal.Quantile(0.4)}
	turn := func(u dual.Mat3) float64 { return math.Acos((u[0].V + u[4].V + u[8].V - 1) / 2) }
	for _, tc := range []struct {
		name string
		u    dual.Mat3
		want float64
	}{
		{"normal", crand.NormalMosaicUmat(dual.C(spread), r[0], r[1], r[2]), spread * math.Sqrt(z[0]*z[0]+z[1]*z[1]+z[2]*z[2])},
		{"cap", crand.MosaicUmat(dual.C(spread), r[0], r[1], r[2]), spread * math.Cbrt(1-0.04)},
	} {
		const tol = 1e-6 // relative: acos near 1 and C's float32 spread in the cap
		if got := turn(tc.u); math.Abs(got/tc.want-1) > tol {
			t.Errorf("%s: domain 1 turns by %g rad, want %g", tc.name, got, tc.want)
		}
	}
	s, err := config.Parse(strings.Fields("-mode c-parity -mosaic_normal " + strings.Replace(args, " -mosaic_halton", "", 1)))
	if err == nil {
		_, err = Prepare(s, Dirs{NoDump: true})
	}
	if err == nil || !strings.Contains(err.Error(), "-mosaic_normal") {
		t.Errorf("c-parity: %v, want a refusal naming -mosaic_normal", err)
	}
}
