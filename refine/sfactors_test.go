package refine_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"gobragg/refine"
)

// fArgs is the structure-factor test experiment: a 96x96 detector of 0.3
// mm pixels 100 mm away (to about 8 Angstrom), a 70x80x90 Angstrom cell of
// 6 cells rotated 0.3 degrees over the exposure, so that the fitted pixels
// hold some dozens of spots.
func fArgs(hkl string) []string {
	return []string{"-cell", "70", "80", "90", "90", "90", "90", "-hkl", hkl, "-N", "6",
		"-lambda", "1", "-distance", "100", "-pixel", "0.3", "-detpixels", "96", "-oversample", "1",
		"-misset", "10", "20", "30", "-fluence", "1e28", "-phi", "0", "-osc", "0.3", "-phisteps", "3"}
}

// wilsonHKL writes every reflection with |h|, |k|, |l| <= 12 with a random
// amplitude (Wilson-like, 30 + 100 sqrt(Exp)), and returns the path and
// the table.
func wilsonHKL(t testing.TB, dir string) (string, map[[3]int]float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 5))
	table := map[[3]int]float64{}
	var b strings.Builder
	for h := -12; h <= 12; h++ {
		for k := -12; k <= 12; k++ {
			for l := -12; l <= 12; l++ {
				F := 30 + 100*math.Sqrt(r.ExpFloat64())
				table[[3]int{h, k, l}] = F
				fmt.Fprintf(&b, "%d %d %d %.3f\n", h, k, l, F)
			}
		}
	}
	path := filepath.Join(dir, "wilson.hkl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, table
}

// fFrame simulates the truth of fArgs with a constant background of 1
// count, draws a Poisson frame (noise seed) and returns it with a start
// whose every F is the truth times a random factor exp(0.3 g - 0.045), g
// standard normal (mean 1), drawn from the start seed.
func fFrame(t *testing.T, hkl string, noise, startSeed uint64) refine.Frame {
	t.Helper()
	img, err := prepare(t, fArgs(hkl)...).Image()
	if err != nil {
		t.Fatal(err)
	}
	start := prepare(t, fArgs(hkl)...)
	setOption(t, start.Exp, "background", 1)
	r := rand.New(rand.NewPCG(startSeed, 13))
	for i := range start.Exp.F {
		start.Exp.F[i] *= math.Exp(0.3*r.NormFloat64() - 0.045)
	}
	return refine.Frame{Name: fmt.Sprintf("noise %d", noise), Exp: start.Exp, Counts: noisy(img, 1, 1, noise)}
}

// TestRefineFRecovery refines the structure factors from random starts
// (a random factor per reflection, see fFrame), alone and with the scale
// under the resolution-bin restraint (which sets the level of F that the
// data cannot tell from scale), and checks that every fit converges and
// that the pulls (refined - truth) / sigma of the refined reflections
// follow N(0, 1).
func TestRefineFRecovery(t *testing.T) {
	hkl, truth := wilsonHKL(t, t.TempDir())
	cases := []struct {
		name      string
		names     []string
		restraint float64 // sigma of ln F about its bin's centre
		seeds     []uint64
	}{
		{"F alone", []string{refine.FName}, 0, []uint64{1, 2, 3}},
		{"F and scale, restrained", []string{refine.FName, "scale"}, 1, []uint64{4, 5}},
	}
	for _, c := range cases {
		for _, seed := range c.seeds {
			fr := fFrame(t, hkl, seed, seed+100)
			if c.restraint > 0 {
				// scale starts 20 % off in a random direction.
				setOption(t, fr.Exp, "scale", 1+0.2*(2*rand.New(rand.NewPCG(seed, 17)).Float64()-1))
			}
			res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{fr}, Names: c.names, Likelihood: refine.Poisson{},
				FRestraint: c.restraint}, refine.Settings{Strategy: []refine.Stage{{Kind: refine.PixelStage}}}, nil)
			if err != nil {
				t.Fatalf("%s seed %d: %v", c.name, seed, err)
			}
			if !res.Converged {
				t.Errorf("%s seed %d: not converged: %s", c.name, seed, res.Reason)
				continue
			}
			// Alone, F is compared with the truth. With scale, the level of
			// every F is that of the fixed reflections and of the
			// restraint's centres, both from the random start (scale takes
			// up the rest): the data determine scale * F^2, so sqrt(scale) F
			// is compared with the truth (scale's truth is 1).
			norm := 1.0
			if c.restraint > 0 {
				norm = math.Sqrt(res.Parameters[0].Value)
				t.Logf("   scale %.4g +- %.2g", res.Parameters[0].Value, res.Parameters[0].Sigma)
			}
			var pulls []float64
			atZero := 0
			for _, f := range res.F {
				if f.AtZero {
					atZero++
					continue
				}
				pulls = append(pulls, (norm*f.Value-truth[[3]int{f.H, f.K, f.L}])/(norm*f.Sigma))
			}
			mean, std := stat.MeanStdDev(pulls, nil)
			beyond := 0
			for _, p := range pulls {
				if !(math.Abs(p-mean) < 3) {
					beyond++
				}
			}
			s := res.FSummary()
			t.Logf("%s seed %d: %d F refined, %d at 0, median sigma/F %.3g, CC to the start %.3f; pulls mean %+.3f std %.3f, %d beyond 3 sigma of the mean; %d iterations, %v",
				c.name, seed, s.Count, atZero, s.MedianRelSigma, s.CCStart, mean, std, beyond, res.Iterations, res.Wall.Round(time.Millisecond))
			// An F whose start lay 3 sigma above 0 ends at 0 rarely (a start
			// 30 % high can hide a true I/sigma(I) of 2).
			if atZero > len(res.F)/100 {
				t.Errorf("%s seed %d: %d of %d F at 0", c.name, seed, atZero, len(res.F))
			}
			// Loose bounds on N(0, 1) for a couple of hundred pulls: the
			// mean's standard error is ~0.07, the standard deviation's
			// ~0.05, and 0.3 % lie beyond 3 sigma.
			if len(pulls) < 50 || !(math.Abs(mean) < 0.3) || !(std > 0.8 && std < 1.25) || beyond > len(pulls)/50 {
				t.Errorf("%s seed %d: %d pulls of mean %.3f, std %.3f, %d beyond 3 sigma: not N(0, 1)", c.name, seed, len(pulls), mean, std, beyond)
			}
		}
	}
}

// TestRefineFRefusals: F with scale and no restraint (degenerate), F
// without a table, and F when no reflection reaches the fitted pixels are
// refused as bad input.
func TestRefineFRefusals(t *testing.T) {
	hkl, _ := wilsonHKL(t, t.TempDir())
	fr := fFrame(t, hkl, 1, 1)
	noTable := prepare(t, simArgs...)
	// The pixels where the model has least: background and far tails.
	img, err := prepare(t, fArgs(hkl)...).Image()
	if err != nil {
		t.Fatal(err)
	}
	var corner []int
	for d, v := range img {
		if v < 1e-3 {
			corner = append(corner, d)
		}
	}
	cases := []struct {
		name  string
		frame refine.Frame
		names []string
		want  string
	}{
		{"scale degenerate", fr, []string{refine.FName, "scale"}, "degenerate"},
		{"fluence degenerate", fr, []string{"fluence", refine.FName}, "degenerate"},
		{"no table", refine.Frame{Name: "flat", Exp: noTable.Exp, Counts: make([]float64, 160*160)}, []string{refine.FName}, "no structure-factor table"},
		{"no spot", refine.Frame{Name: "corner", Exp: fr.Exp, Counts: fr.Counts, Pixels: corner}, []string{refine.FName}, "no structure factor to refine"},
	}
	for _, c := range cases {
		_, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{c.frame}, Names: c.names, Likelihood: refine.Poisson{}}, refine.Settings{}, nil)
		if !errors.Is(err, refine.ErrBadInput) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want bad input saying %q", c.name, err, c.want)
		}
	}
}
