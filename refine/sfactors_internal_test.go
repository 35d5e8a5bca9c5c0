package refine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

// smallFFitter prepares a fitter of structure factors and scale (under the
// restraint) on a 48x48 detector of 0.3 mm pixels with every reflection
// |h|, |k|, |l| <= 8 in its table, its counts a Poisson draw of the
// start's model plus 1 count of background.
func smallFFitter(t testing.TB) *fitter { return fFitter(t, 48, 8) }

// fFitter is smallFFitter on a detector of pixels x pixels with every
// reflection up to |h|, |k|, |l| <= hmax.
func fFitter(t testing.TB, pixels, hmax int) *fitter {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 3))
	var b strings.Builder
	for h := -hmax; h <= hmax; h++ {
		for k := -hmax; k <= hmax; k++ {
			for l := -hmax; l <= hmax; l++ {
				fmt.Fprintf(&b, "%d %d %d %.3f\n", h, k, l, 30+100*math.Sqrt(r.ExpFloat64()))
			}
		}
	}
	hkl := filepath.Join(t.TempDir(), "small.hkl")
	if err := os.WriteFile(hkl, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := config.Parse([]string{"-cell", "70", "80", "90", "90", "90", "90", "-hkl", hkl, "-N", "6",
		"-lambda", "1", "-distance", "100", "-pixel", "0.3", "-detpixels", fmt.Sprint(pixels), "-oversample", "1",
		"-misset", "10", "20", "30", "-fluence", "1e28", "-phi", "0", "-osc", "0.3", "-phisteps", "3"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]float64, len(img))
	for i, v := range img {
		counts[i] = distuv.Poisson{Lambda: v + 1, Src: rand.NewPCG(uint64(i), 5)}.Rand()
	}
	p.Exp.Params.Set(graph.PBackground, 1)
	p.Exp.Params.Set(graph.PScale, 0.9)
	f, err := newFitter(&Problem{Frames: []Frame{{Name: "small", Exp: p.Exp, Counts: counts}},
		Names: []string{FName, graph.PScale}, Likelihood: Poisson{}, FRestraint: 0.7}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.close)
	if err := f.chooseSteps(f.starts); err != nil {
		t.Fatal(err)
	}
	if f.fs == nil || len(f.names)-f.fs.first < 5 {
		t.Fatalf("too few structure factors refined: %v", f.names)
	}
	return f
}

// TestFGradient: the gradient of the loss (with the F restraint) with
// respect to the normalised variables of ln F and scale, at a random
// point, matches central differences. A normalised variable is
// (ln F - ln F0) / dz, so this checks d loss / d ln F.
func TestFGradient(t *testing.T) {
	f := smallFFitter(t)
	r := rand.New(rand.NewPCG(8, 8))
	x := make([]float64, len(f.names))
	for j := range x {
		x[j] = r.Float64() - 0.5 // within a standard error of the start
	}
	if _, err := f.eval(x); err != nil {
		t.Fatal(err)
	}
	g := append([]float64(nil), f.cacheG...)
	// One unit of x is a standard error: the loss is quadratic on that
	// scale, so h = 1e-3 leaves a truncation error ~1e-7, and round-off
	// of a loss ~1e4 is ~1e-9 after dividing by 2h.
	const h = 1e-3
	for j := range x {
		xp := append([]float64(nil), x...)
		xp[j] += h
		lp, err := f.eval(xp)
		if err != nil {
			t.Fatal(err)
		}
		xp[j] -= 2 * h
		lm, err := f.eval(xp)
		if err != nil {
			t.Fatal(err)
		}
		fd := (lp - lm) / (2 * h)
		if !(math.Abs(fd-g[j]) < 1e-5+1e-4*math.Abs(fd)) {
			t.Errorf("d loss / d x_%s = %.10g, central difference %.10g", f.names[j], g[j], fd)
		}
	}
}

// TestJacobianFExact: graph.Model.JacobianF's rows match central
// differences of the image in each of a few refined structure factors.
func TestJacobianFExact(t *testing.T) {
	f := smallFFitter(t)
	m := f.models[0]
	if _, _, err := f.lossGrad(f.starts); err != nil {
		t.Fatal(err)
	}
	_, rows, err := m.JacobianF(nil)
	if err != nil {
		t.Fatal(err)
	}
	base := append([]float64(nil), m.Exp.F...)
	render := func(table []float64) []float64 {
		if err := m.SetF(table); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		return append([]float64(nil), m.Image()...)
	}
	for j := f.fs.first; j < len(f.names); j += max(1, (len(f.names)-f.fs.first)/5) {
		idx := f.infos[j].fIndex
		// The image is quadratic in F: central differences are exact
		// up to round-off, for any step.
		hF := 1e-3 * base[idx]
		tab := append([]float64(nil), base...)
		tab[idx] = base[idx] + hF
		ip := render(tab)
		tab[idx] = base[idx] - hF
		im := render(tab)
		worst := 0.0
		for i := range ip {
			fd := (ip[i] - im[i]) / (2 * hF)
			d := 0.0
			for e, t := range rows[i].Index {
				if t == idx {
					d = rows[i].D[e]
				}
			}
			worst = math.Max(worst, math.Abs(fd-d)/math.Max(math.Abs(fd), 1e-12))
		}
		if !(worst < 1e-6) {
			t.Errorf("%s: d image / d F off central differences by %.2g (relative)", f.names[j], worst)
		}
	}
}

// BenchmarkFLossGradient is one evaluation of the loss and its gradient
// with the structure factors refined (fFitter's frames of 48x48 and 96x96
// pixels), against which BenchmarkFFisher's cost is read.
func BenchmarkFLossGradient(b *testing.B) {
	for _, n := range []int{48, 96} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			f := fFitter(b, n, 12)
			for b.Loop() {
				if _, _, err := f.lossGrad(f.starts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(f.names)), "params")
		})
	}
}

// BenchmarkFFisher is the Fisher information of every refined parameter,
// structure factors included, and its inverse: what the standard errors
// cost at the end of a fit.
func BenchmarkFFisher(b *testing.B) {
	for _, n := range []int{48, 96} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			f := fFitter(b, n, 12)
			for b.Loop() {
				info, err := f.fisher(f.starts)
				if err != nil {
					b.Fatal(err)
				}
				covariance(info, f.names)
			}
			b.ReportMetric(float64(len(f.names)), "params")
		})
	}
}
