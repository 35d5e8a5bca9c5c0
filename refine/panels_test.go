package refine_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gobragg/expt"
	"gobragg/graph"
	"gobragg/refine"
)

// TestRefinePanelMotions: on Poisson data of the 64-panel CSPAD-like
// detector whose panels and groups were moved by random amounts (up to
// 0.1 mm and 0.2 degree, random signs; three draws), a pixel fit from
// the unmoved detector recovers each motion within 3 standard errors,
// with the rest of the hierarchy held where it is, and every motion is
// determined by the data.
func TestRefinePanelMotions(t *testing.T) {
	l, err := expt.ReadFile("../expt/testdata/cspad64.expt")
	if err != nil {
		t.Fatal(err)
	}
	e, err := l.Single("cspad64.expt")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-cell", "50", "60", "70", "90", "90", "90", "-default_F", "100", "-N", "5", "-lambda", "1",
		"-misset", "10", "20", "30", "-fluence", "1e29", "-water", "2", "-oversample", "1", "-detpixels", "8"}
	names := []string{"panel5_dist", "panel20_shift_fast", "panel40_shift_slow", "group3_rot_normal", "scale"}
	cspad := func() *graph.Experiment {
		p := prepare(t, args...)
		if err := p.UsePanels(e, names[:4]...); err != nil {
			t.Fatal(err)
		}
		return p.Exp
	}
	for seed := uint64(1); seed <= 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		sign := func() float64 { return float64(2*r.IntN(2) - 1) }
		moves := map[string]float64{ // option units: mm and degrees
			"panel5_dist":        sign() * (0.05 + 0.05*r.Float64()),
			"panel20_shift_fast": sign() * (0.05 + 0.05*r.Float64()),
			"panel40_shift_slow": sign() * (0.05 + 0.05*r.Float64()),
			"group3_rot_normal":  sign() * (0.1 + 0.1*r.Float64()),
		}
		truth := cspad()
		for n, v := range moves {
			setOption(t, truth, n, v)
		}
		img, err := imageOf(truth)
		if err != nil {
			t.Fatal(err)
		}
		counts := noisy(img, 1, 0, seed)
		// A loose prior on the sensor's turn (1 degree), as a refinement
		// of a known detector would carry; the data dominate it.
		res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "cspad", Exp: cspad(), Counts: counts}},
			Names: names, Likelihood: refine.Poisson{}, Restraints: []refine.Restraint{{Name: "group3_rot_normal", Center: 0, Sigma: 1}}},
			refine.Settings{Strategy: plain}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Converged {
			t.Fatalf("seed %d: did not converge: %s", seed, res.Reason)
		}
		if len(res.Undetermined) > 0 {
			t.Fatalf("seed %d: undetermined: %v", seed, res.Undetermined)
		}
		for _, fp := range res.Parameters {
			want, ok := moves[fp.Name]
			if !ok {
				want = 1 // scale
			}
			if pull := (fp.Value - want) / fp.Sigma; !(math.Abs(pull) < 3) {
				t.Errorf("seed %d: %s = %g +- %g, truth %g", seed, fp.Name, fp.Value, fp.Sigma, want)
			}
		}
	}
}

// imageOf renders an experiment's image.
func imageOf(exp *graph.Experiment) ([]float64, error) {
	m, err := graph.Build(exp, graph.Options{})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		return nil, err
	}
	return append([]float64(nil), m.Image()...), nil
}
