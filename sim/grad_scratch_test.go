package sim

import (
	"math"
	"testing"

	"gobragg/config"
)

func TestGradScratch(t *testing.T) {
	for _, mode := range []string{"spec", "c-parity"} {
		args := []string{"-mode", mode, "-cell", "70", "80", "90", "75", "85", "95", "-misset", "10", "20", "30",
			"-default_F", "100", "-N", "5", "-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", "24",
			"-phi", "0", "-osc", "0.3", "-phisteps", "3", "-mosaic", "0.5", "-mosaic_dom", "3", "-polar", "0.9",
			"-water", "5", "-oversample", "2", "-detector_rotx", "1", "-detector_roty", "0.5", "-twotheta", "2", "-Xbeam", "1.1", "-Ybeam", "1.3", "-nonoise", "-nopgm"}
		s, err := config.Parse(args)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Prepare(s, Dirs{OutputDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		L, g, _, err := p.Gradient()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s loss %g", mode, L)
		for _, name := range p.Exp.Params.Names() {
			v, _ := p.Exp.Params.Get(name)
			best := math.Inf(1)
			var bestFD float64
			for _, rel := range []float64{1e-3, 1e-4, 1e-5, 1e-6} {
				h := rel * math.Max(math.Abs(v), 1e-3)
				if name == "Xbeam" || name == "Ybeam" || name == "distance" {
					h = rel * 1e-2
				}
				p.Exp.Params.Set(name, v+h)
				lp, err := p.Loss()
				if err != nil {
					t.Fatal(err)
				}
				p.Exp.Params.Set(name, v-h)
				lm, _ := p.Loss()
				p.Exp.Params.Set(name, v)
				fd := (lp - lm) / (2 * h)
				e := math.Abs(fd-g[name]) / math.Max(math.Abs(fd), 1e-300)
				if e < best {
					best, bestFD = e, fd
				}
			}
			t.Logf("%-14s grad %+.6e fd %+.6e rel %.2e", name, g[name], bestFD, best)
		}
	}
}
