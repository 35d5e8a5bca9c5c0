package refine

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestDevianceMoments: the tabulated mean and variance of one pixel's
// Poisson deviance agree with a Monte Carlo over 200 000 draws, from
// nearly empty pixels to bright ones (the table's two ends included).
func TestDevianceMoments(t *testing.T) {
	const draws = 200000
	src := rand.NewPCG(1, 2)
	for _, mu := range []float64{0.01, 0.3, 1, 2.5, 10, 80, 299, 301, 2000} {
		p := distuv.Poisson{Lambda: mu, Src: src}
		var s1, s2 float64
		for i := 0; i < draws; i++ {
			y := p.Rand()
			d := 2 * (mu - y)
			if y > 0 {
				d += 2 * y * math.Log(y/mu)
			}
			s1 += d
			s2 += d * d
		}
		mean := s1 / draws
		vr := s2/draws - mean*mean
		e, v := devianceMoments(mu)
		// Five Monte Carlo standard errors of the mean; 5 % of the variance
		// (its own Monte Carlo error is a few per mille, the asymptotic
		// series' beyond mu = 300 about 1 %).
		if tol := 5 * math.Sqrt(vr/draws); math.Abs(e-mean) > tol {
			t.Errorf("mu %g: mean deviance %.5f, Monte Carlo %.5f +- %.5f", mu, e, mean, tol/5)
		}
		if math.Abs(v-vr) > 0.05*vr+1e-9 {
			t.Errorf("mu %g: deviance variance %.5f, Monte Carlo %.5f", mu, v, vr)
		}
	}
}

// TestGoodnessOfTrueModel: Poisson data drawn from mu give a deviance
// within a few sigma of its expectation; data drawn from a model whose
// spots are moved give one far above.
func TestGoodnessOfTrueModel(t *testing.T) {
	src := rand.New(rand.NewPCG(3, 4))
	n := 20000
	mu := make([]float64, n)
	for i := range mu {
		mu[i] = 2
		if i%97 == 0 {
			mu[i] = 300 // a spot
		}
	}
	y := make([]float64, n)
	for i, m := range mu {
		y[i] = distuv.Poisson{Lambda: m, Src: src}.Rand()
	}
	g := goodness(Poisson{}, [][]float64{y}, [][]float64{mu})
	if math.Abs(g.Z) > 4 {
		t.Errorf("true model: deviance %.1f, expected %.1f +- %.1f (z %.1f)", g.Value, g.Expected, g.Sigma, g.Z)
	}
	moved := make([]float64, n)
	for i := range moved {
		moved[i] = mu[(i+1)%n] // every spot one pixel off
	}
	if g := goodness(Poisson{}, [][]float64{y}, [][]float64{moved}); g.Z < 100 {
		t.Errorf("moved spots: z %.1f, want far above 5", g.Z)
	}
	gg := goodness(Gaussian{}, [][]float64{y}, [][]float64{mu})
	if gg.Statistic != "chi-squared" || math.Abs(gg.Z) > 4 {
		t.Errorf("gaussian: %+v", gg)
	}
	if gl := goodness(LSQ{}, [][]float64{y}, [][]float64{mu}); gl.Statistic != "none" {
		t.Errorf("lsq: %+v", gl)
	}
}
