package refine_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gobragg/refine"
)

// plain is the strategy of one pixel stage over everything, for tests of
// what a fit computes near the truth rather than of how it gets there.
var plain = []refine.Stage{{Kind: refine.PixelStage, Group: refine.AllParams}}

// TestLossesRecoverTruth: on data with Poisson noise and 3 photons of
// Gaussian readout noise, the Gaussian loss (readout 3) and least squares
// (errors scaled by the residual variance) both recover distance, beam
// centre and scale within 3 standard errors, over 3 seeds.
func TestLossesRecoverTruth(t *testing.T) {
	args := []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
		"-lambda", "1", "-distance", "100", "-pixel", "0.2", "-detpixels", "64", "-oversample", "1",
		"-misset", "10", "20", "30", "-fluence", "1e29", "-water", "0.1"}
	const readout = 3.0
	img, err := prepare(t, args...).Image()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"distance", "Xbeam", "Ybeam", "scale"}
	truth := prepare(t, args...)
	for seed := uint64(1); seed <= 3; seed++ {
		counts := noisy(img, 1, 0, seed)
		r := rand.New(rand.NewPCG(seed, 7))
		for i := range counts {
			counts[i] += readout * r.NormFloat64()
		}
		for _, like := range []refine.Likelihood{refine.Gaussian{Readout: readout}, refine.LSQ{}} {
			p := prepare(t, args...)
			setOption(t, p.Exp, "distance", 100.2)
			setOption(t, p.Exp, "Xbeam", getOption(p.Exp, "Xbeam")+0.05)
			res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "frame", Exp: p.Exp, Counts: counts}},
				Names: names, Likelihood: like}, refine.Settings{Strategy: plain}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Converged {
				t.Errorf("seed %d, %s: did not converge: %s", seed, like.Name(), res.Reason)
			}
			for _, fp := range res.Parameters {
				want := 1.0
				if fp.Name != "scale" {
					want = getOption(truth.Exp, fp.Name)
				}
				if pull := (fp.Value - want) / fp.Sigma; !(math.Abs(pull) < 3) {
					t.Errorf("seed %d, %s: %s = %g +- %g, truth %g", seed, like.Name(), fp.Name, fp.Value, fp.Sigma, want)
				}
			}
		}
	}
}
