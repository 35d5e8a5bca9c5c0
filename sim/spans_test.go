package sim

import (
	"math"
	"testing"

	"gobragg/graph"
)

// TestSpans: rendering the detector in many small graph runs (spans) gives
// the same image bit for bit as one run, C's serial state included (phi = 0
// carry-over, tricubic switch-off, -mask), and the same gradients up to the
// order in which the spans' partial sums are added.
func TestSpans(t *testing.T) {
	m := loadManifest(t)
	for _, name := range []string{"hkl_interp_out_of_range", "phi_osc_phi0_zero", "mask", "roi"} {
		c, ok := m.Case(name)
		if !ok {
			t.Fatalf("no golden case %s", name)
		}
		p, err := prepareCase(t, m, c, "c-parity")
		if err != nil {
			t.Fatal(err)
		}
		run := func(span int) ([]float64, map[string]float64) {
			model, err := graph.Build(p.Exp, graph.Options{Gradient: true, SpanPixels: span})
			if err != nil {
				t.Fatal(err)
			}
			defer model.Close()
			if err := model.Run(); err != nil {
				t.Fatal(err)
			}
			g, err := model.Gradient()
			if err != nil {
				t.Fatal(err)
			}
			return append([]float64(nil), model.Image()...), g
		}
		img1, g1 := run(0)
		img2, g2 := run(2048)
		for i := range img1 {
			if math.Float64bits(img1[i]) != math.Float64bits(img2[i]) {
				t.Fatalf("%s: pixel %d is %v in one run, %v in spans", name, i, img1[i], img2[i])
			}
		}
		// Spans add the same per-unit partial sums in the same order but
		// group them differently: rounding-level differences only, relative
		// to the sum's condition. The detector rotations' gradients are sums
		// of terms of both signs some 1e4 times larger (phi_osc_phi0_zero:
		// dL/ddetector_rotx 7.9, dL/dYbeam -2.5e4), so regrouping moves them
		// by up to ~1e-16 x 1e4 x the number of units.
		const regroupTol = 1e-10
		for k, v := range g1 {
			if math.Abs(v-g2[k]) > regroupTol*math.Max(math.Abs(v), 1e-300) && math.Abs(v-g2[k]) > 1e-300 {
				t.Errorf("%s: dL/d%s %v in one run, %v in spans", name, k, v, g2[k])
			}
		}
	}
}
