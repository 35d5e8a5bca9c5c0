package refine_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gobragg/graph"
	"gobragg/refine"
)

// TestLikelihood: each likelihood's term, derivative and Fisher weight,
// and the means no Poisson model can have (negative anywhere, zero under
// counts) refused as +Inf, so that no fit lowers its loss by driving them
// there.
func TestLikelihood(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name              string
		l                 refine.Likelihood
		y, mu             float64
		term, dmu, weight float64
		refused           bool
	}{
		{"poisson", refine.Poisson{}, 4, 2, 2 - 4*math.Log(2), 1 - 4.0/2, 0.5, false},
		{"poisson no counts", refine.Poisson{}, 0, 0.5, 0.5, 1, 2, false},
		{"poisson zero mean, no counts", refine.Poisson{}, 0, 0, 0, 1, 0, false},
		{"poisson negative mean, no counts", refine.Poisson{}, 0, -0.5, inf, 0, 0, true},
		{"poisson zero mean under counts", refine.Poisson{}, 3, 0, inf, 0, 0, true},
		{"gaussian", refine.Gaussian{Readout: 1}, 3, 2, 0.5 * (math.Log(2*math.Pi*3) + 1.0/3), 0.5/3 - 1.0/3 - 0.5/9, 1.0 / 3, false},
		{"gaussian no variance", refine.Gaussian{Readout: 1}, 3, -1, inf, 0, 0, true},
		{"lsq", refine.LSQ{}, 3, 2, 1, -2, 1, false},
	} {
		l := tc.l
		term, dmu := l.Term(tc.y, tc.mu), l.DMu(tc.y, tc.mu)
		if tc.refused {
			if !math.IsInf(term, 1) || !math.IsNaN(dmu) {
				t.Errorf("%s: term %g, d/dmu %g; want +Inf, NaN", tc.name, term, dmu)
			}
			continue
		}
		// tolerance: a few roundings of float64 arithmetic
		const tol = 1e-12
		if math.Abs(term-tc.term) > tol*max(1, math.Abs(tc.term)) || math.Abs(dmu-tc.dmu) > tol ||
			math.Abs(l.Weight(tc.mu)-tc.weight) > tol {
			t.Errorf("%s: term %g, d/dmu %g, weight %g; want %g, %g, %g", tc.name, term, dmu, l.Weight(tc.mu), tc.term, tc.dmu, tc.weight)
		}
	}
}

// TestGaussianReadoutRefused: a Gaussian likelihood of negative or
// non-finite readout noise is refused by NewGaussian and by Refine, which
// names the bad value, before any model is built.
func TestGaussianReadoutRefused(t *testing.T) {
	p := prepare(t, smallArgs...)
	counts := make([]float64, p.Exp.Setup.FPixels*p.Exp.Setup.SPixels)
	for _, readout := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := refine.NewGaussian(readout); err == nil {
			t.Errorf("NewGaussian(%g) accepted", readout)
		}
		_, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "frame", Exp: p.Exp, Counts: counts}},
			Names: []string{"distance"}, Likelihood: refine.Gaussian{Readout: readout}}, refine.Settings{}, nil)
		if !errors.Is(err, refine.ErrBadInput) || !strings.Contains(err.Error(), "readout noise") {
			t.Errorf("readout noise %g: Refine gave %v, want a bad-input error naming the readout noise", readout, err)
		}
	}
	for _, readout := range []float64{0, 2.5} {
		if g, err := refine.NewGaussian(readout); err != nil || g.Readout != readout {
			t.Errorf("NewGaussian(%g) = %+v, %v", readout, g, err)
		}
	}
}

// TestPixelBackground: a per-pixel background of one value gives the loss
// of the background parameter of that value, bit for bit; its gradient per
// pixel sums to d loss / d background and agrees with central differences.
func TestPixelBackground(t *testing.T) {
	p := prepare(t, smallArgs...)
	exp := p.Exp
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	npix := len(img)
	data := noisy(img, 1, 0.7, 1)
	like := refine.Poisson{}
	const b0 = 0.5
	exp.Params.Set(graph.PBackground, b0)
	withParam, err := graph.Build(exp, graph.Options{Gradient: true, Loss: refine.NewDataLoss(like, data, exp.Params)})
	if err != nil {
		t.Fatal(err)
	}
	defer withParam.Close()
	if err := withParam.Run(); err != nil {
		t.Fatal(err)
	}
	exp.Params.Set(graph.PBackground, 0)
	b := make([]float64, npix)
	for i := range b {
		b[i] = b0
	}
	dl := refine.NewDataLoss(like, data, exp.Params)
	if err := dl.SetBackground(b); err != nil {
		t.Fatal(err)
	}
	m, err := graph.Build(exp, graph.Options{Gradient: true, Loss: dl})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	if m.Loss() != withParam.Loss() {
		t.Errorf("loss %v with a per-pixel background of %g, %v with the parameter", m.Loss(), b0, withParam.Loss())
	}
	gb, err := dl.GradientBackground()
	if err != nil {
		t.Fatal(err)
	}
	gp, _ := withParam.Gradient()
	sum := 0.0
	for _, g := range gb {
		sum += g
	}
	// The same terms summed in another order.
	if math.Abs(sum-gp[graph.PBackground]) > 1e-9*math.Abs(gp[graph.PBackground]) {
		t.Errorf("per-pixel gradients sum to %v, d loss / d background is %v", sum, gp[graph.PBackground])
	}
	// Central differences of single pixels' backgrounds.
	loss := func(bb []float64) float64 {
		if err := dl.SetBackground(bb); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		return m.Loss()
	}
	for _, p := range []int{0, 100, 517, npix - 1} {
		h := 1e-5
		bp := append([]float64(nil), b...)
		bm := append([]float64(nil), b...)
		bp[p] += h
		bm[p] -= h
		fd := (loss(bp) - loss(bm)) / (2 * h)
		// The loss is a sum of 1600 terms near 1e3: rounding limits the
		// difference to about 1e-13/h relative to a term.
		if math.Abs(gb[p]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("pixel %d: d loss / d background = %v, central difference %v", p, gb[p], fd)
		}
	}
	if err := dl.SetBackground(b[:10]); err == nil {
		t.Errorf("a background of 10 pixels for %d was taken", npix)
	}
	if _, err := graph.Build(exp, graph.Options{Loss: refine.NewDataLoss(like, data[:10], exp.Params)}); err == nil {
		t.Errorf("a loss of 10 pixels for an image of %d was built", npix)
	}
}
