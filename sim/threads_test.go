package sim

import (
	"math"
	"runtime"
	"testing"
)

// TestSameBitsAnyThreadCount: images and gradients are bit-identical for
// any number of goroutines, including the C-parity global state (phi = 0
// carry-over, tricubic switch-off), because work is split into tiles fixed
// by the detector size and reduced in tile order.
func TestSameBitsAnyThreadCount(t *testing.T) {
	m := loadManifest(t)
	for _, name := range []string{"hkl_interp_out_of_range", "phi_osc_phi0_zero", "mosaic", "oversample_thick_polar_omega"} {
		for _, mode := range []string{"spec", "c-parity"} {
			c, ok := m.Case(name)
			if !ok {
				t.Fatalf("no golden case %s", name)
			}
			var refImg []float64
			var refGrad map[string]float64
			var refF []float64
			for _, workers := range []int{1, 2, 5} {
				old := runtime.GOMAXPROCS(workers)
				p, err := prepareCase(t, m, c, mode)
				if err != nil {
					t.Fatal(err)
				}
				img := image(t, p)
				_, g, gf, err := p.Gradient()
				runtime.GOMAXPROCS(old)
				if err != nil {
					t.Fatal(err)
				}
				if refImg == nil {
					refImg, refGrad, refF = img, g, gf
					continue
				}
				for i := range img {
					if math.Float64bits(img[i]) != math.Float64bits(refImg[i]) {
						t.Fatalf("%s %s: pixel %d differs with %d goroutines: %v vs %v", name, mode, i, workers, img[i], refImg[i])
					}
				}
				for k, v := range g {
					if math.Float64bits(v) != math.Float64bits(refGrad[k]) {
						t.Errorf("%s %s: gradient %s differs with %d goroutines: %v vs %v", name, mode, k, workers, v, refGrad[k])
					}
				}
				for i := range gf {
					if math.Float64bits(gf[i]) != math.Float64bits(refF[i]) {
						t.Fatalf("%s %s: dL/dF[%d] differs with %d goroutines", name, mode, i, workers)
					}
				}
			}
		}
	}
}
