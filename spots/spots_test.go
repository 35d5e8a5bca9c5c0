package spots_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
	"gobragg/spots"
)

func prepare(t testing.TB, args ...string) *sim.Problem {
	t.Helper()
	s, err := config.Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{OutputDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func poisson(img []float64, bkg float64, seed uint64) []float64 {
	src := rand.NewPCG(seed, 2)
	out := make([]float64, len(img))
	for i, v := range img {
		out[i] = distuv.Poisson{Lambda: v + bkg, Src: src}.Rand()
	}
	return out
}

// sharpArgs: sharp spots (N 14, no mosaic spread) of a 70x80x90 cell on a
// 160x160 detector, in a 0.4 degree oscillation.
var sharpArgs = []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "14",
	"-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", "160", "-oversample", "1",
	"-misset", "10", "20", "30", "-fluence", "1e28", "-phi", "0", "-osc", "0.4", "-phisteps", "4"}

// TestFoundSpotsMatchPredictions: every bright spot found on a simulated
// frame indexes to integers and its centroid lies where Predict puts it.
func TestFoundSpotsMatchPredictions(t *testing.T) {
	p := prepare(t, sharpArgs...)
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	counts := poisson(img, 2, 1)
	found := spots.Find(counts, 160, 160, spots.Finder{})
	if len(found) < 20 {
		t.Fatalf("found %d spots", len(found))
	}
	view, err := p.Exp.BraggView(nil)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	n, fringes := 0, 0
	for _, s := range found {
		h := spots.Index(view, s.Fast, s.Slow)
		var hkl [3]int
		off := 0.0
		for k := range h {
			hkl[k] = int(math.Round(h[k]))
			off = math.Max(off, math.Abs(h[k]-float64(hkl[k])))
		}
		// Fringes of the crystal's shape transform lie between
		// reflections (square -N shape); only Bragg spots are predicted.
		if off > 0.1 || hkl == [3]int{} { // nor is the direct beam
			fringes++
			continue
		}
		pr, ok := spots.Predict(view, hkl)
		if !ok {
			t.Errorf("%v not predicted", hkl)
			continue
		}
		df, ds := pr.Fast.V-s.Fast, pr.Slow.V-s.Slow
		sum += df*df + ds*ds
		n++
		// A spot whose rocking curve the oscillation cuts (large excitation
		// at the frame's mean angle) has its centroid up to about 0.7 pixel
		// from the still prediction.
		if s.SNR() > 20 && math.Hypot(df, ds) > 0.7 {
			t.Errorf("%v: found at %.2f %.2f (snr %.0f), predicted %.2f %.2f, excitation %.2g", hkl, s.Fast, s.Slow, s.SNR(), pr.Fast.V, pr.Slow.V, pr.Excitation.V)
		}
	}
	t.Logf("%d fringes; %d spots, rmsd %.3f px", fringes, n, math.Sqrt(sum/float64(n)))
	_ = graph.PDistance
}

// TestFindGaussianSpots: spots drawn as Gaussians of known centres on a
// Poisson background are found, brightest first, with centroids within
// four of their standard errors; masked (NaN) pixels are ignored and
// pure background gives no spot.
func TestFindGaussianSpots(t *testing.T) {
	const fast, slow = 120, 100
	centres := [][3]float64{{20.3, 30.7, 2000}, {80.5, 40.5, 800}, {60.9, 80.2, 300}}
	img := make([]float64, fast*slow)
	for _, c := range centres {
		for s := 0; s < slow; s++ {
			for f := 0; f < fast; f++ {
				df, ds := float64(f)+0.5-c[0], float64(s)+0.5-c[1]
				img[s*fast+f] += c[2] / (2 * math.Pi * 1.2 * 1.2) * math.Exp(-(df*df+ds*ds)/(2*1.2*1.2))
			}
		}
	}
	counts := poisson(img, 3, 7)
	for i := 0; i < fast; i++ {
		counts[50*fast+i] = math.NaN() // a masked row
	}
	found := spots.Find(counts, fast, slow, spots.Finder{})
	if len(found) != len(centres) {
		t.Fatalf("found %d spots, want %d: %+v", len(found), len(centres), found)
	}
	for i, c := range centres {
		s := found[i]
		if math.Abs(s.Fast-c[0]) > 4*s.SigmaFast || math.Abs(s.Slow-c[1]) > 4*s.SigmaSlow {
			t.Errorf("spot %d at %.3f %.3f (+- %.3f %.3f), true centre %.3f %.3f", i, s.Fast, s.Slow, s.SigmaFast, s.SigmaSlow, c[0], c[1])
		}
	}
	if bg := spots.Find(poisson(make([]float64, fast*slow), 3, 8), fast, slow, spots.Finder{}); len(bg) != 0 {
		t.Errorf("pure background: %d spots", len(bg))
	}
	if spots.Find(counts, fast+1, slow, spots.Finder{}) != nil {
		t.Error("a wrong size gave spots")
	}
}

// TestPredictDerivatives: the dual partials of a predicted spot agree with
// central differences of the prediction for every geometry parameter.
func TestPredictDerivatives(t *testing.T) {
	p := prepare(t, append(append([]string(nil), sharpArgs...), "-twotheta", "5", "-detector_rotz", "2")...)
	names := []string{graph.PCellA, graph.PCellC, graph.PMissetX, graph.PMissetY, graph.PDistance, graph.PXbeam, graph.PYbeam, graph.PTwoTheta, graph.PRotZ, graph.PPhi, graph.PLambda}
	var seeds []string
	for _, n := range names {
		if p.Exp.Params.Has(n) {
			seeds = append(seeds, n)
		}
	}
	if len(seeds) < 8 {
		t.Fatalf("only %v are parameters", seeds)
	}
	view, err := p.Exp.BraggView(seeds)
	if err != nil {
		t.Fatal(err)
	}
	for _, hkl := range [][3]int{{1, 2, -3}, {-2, 1, 4}, {3, -3, 1}} {
		pr, ok := spots.Predict(view, hkl)
		if !ok {
			t.Fatalf("%v not predicted", hkl)
		}
		for a, name := range seeds {
			v0, _ := p.Exp.Params.Get(name)
			h := 1e-6 * math.Abs(v0) // every seed here is non-zero
			if v0 == 0 {
				h = 1e-6
			}
			at := func(x float64) spots.Prediction {
				p.Exp.Params.Set(name, x)
				defer p.Exp.Params.Set(name, v0)
				v, err := p.Exp.BraggView(nil)
				if err != nil {
					t.Fatal(err)
				}
				q, _ := spots.Predict(v, hkl)
				return q
			}
			hi, lo := at(v0+h), at(v0-h)
			for _, c := range []struct {
				label  string
				d      float64
				hi, lo float64
			}{{"fast", pr.Fast.Grad(a), hi.Fast.V, lo.Fast.V}, {"slow", pr.Slow.Grad(a), hi.Slow.V, lo.Slow.V},
				{"excitation", pr.Excitation.Grad(a), hi.Excitation.V, lo.Excitation.V}} {
				fd := (c.hi - c.lo) / (2 * h)
				// Central differences at a relative step of 1e-6 are good to
				// about 1e-6 of the derivative's scale.
				if math.Abs(fd-c.d) > 1e-5*math.Max(math.Abs(fd), math.Abs(c.d))+1e-9*math.Abs(c.hi)/h {
					t.Errorf("%v d %s / d %s: dual %.8g, central difference %.8g", hkl, c.label, name, c.d, fd)
				}
			}
		}
	}
}
