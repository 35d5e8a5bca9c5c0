package refine

import (
	"math"
	"sync"
)

// GoodnessOfFit compares the fitted model with the data: the Poisson
// deviance (Poisson loss) or chi-squared (Gaussian loss) summed over the
// fitted pixels, against its expectation and standard deviation were the
// data drawn from the fitted model. A false minimum leaves spots
// unexplained, which raises the statistic far above its expectation.
type GoodnessOfFit struct {
	// Statistic is "poisson deviance", "chi-squared" or "none" (least
	// squares has no noise model to test against).
	Statistic string
	Value     float64
	Expected  float64
	Sigma     float64
	Pixels    int
	// Z is (Value - Expected) / Sigma.
	Z float64
}

// PerPixel is the statistic per fitted pixel; ExpectedPerPixel its
// expectation.
func (g GoodnessOfFit) PerPixel() float64         { return g.Value / float64(g.Pixels) }
func (g GoodnessOfFit) ExpectedPerPixel() float64 { return g.Expected / float64(g.Pixels) }

// DefaultFitSigmas is how many standard deviations above its expectation
// the statistic may lie before the model is said not to fit the data
// (Settings.FitSigmas): a fit of the true model exceeds 5 once in 3
// million, and a false minimum's excess is hundreds.
const DefaultFitSigmas = 5

// goodness returns the goodness of fit of expected counts mu against data
// y under like's statistic.
func goodness(like Likelihood, y, mu [][]float64) GoodnessOfFit {
	g := GoodnessOfFit{Statistic: "none"}
	var variance float64
	for k := range y {
		for i, yi := range y[k] {
			v, e, vr, ok := like.fit(yi, mu[k][i])
			if like.statistic() != "none" {
				g.Statistic = like.statistic()
			}
			if !ok {
				continue
			}
			g.Value += v
			g.Expected += e
			variance += vr
			g.Pixels++
		}
	}
	g.Sigma = math.Sqrt(variance)
	if g.Sigma > 0 {
		g.Z = (g.Value - g.Expected) / g.Sigma
	}
	return g
}

// The mean and variance of one pixel's Poisson deviance
// 2[y log(y/mu) - (y - mu)] for y ~ Poisson(mu) are tabulated in log mu
// between devLo and devHi; outside, they are summed directly (small mu) or
// taken from the asymptotic series (large mu).
const (
	devLo, devHi = 1e-3, 300.0
	devPoints    = 4000
)

var devTable struct {
	once      sync.Once
	mean, vr  []float64
	logLo, dl float64
}

// devianceMoments returns the mean and variance of a pixel's deviance.
func devianceMoments(mu float64) (float64, float64) {
	switch {
	case mu < devLo:
		return devianceSum(mu)
	case mu > devHi:
		return 1 + 1/(6*mu) + 1/(6*mu*mu), 2 + 8/(3*mu)
	}
	t := &devTable
	t.once.Do(func() {
		t.logLo = math.Log(devLo)
		t.dl = (math.Log(devHi) - t.logLo) / (devPoints - 1)
		t.mean, t.vr = make([]float64, devPoints), make([]float64, devPoints)
		for i := range t.mean {
			t.mean[i], t.vr[i] = devianceSum(math.Exp(t.logLo + float64(i)*t.dl))
		}
	})
	x := (math.Log(mu) - t.logLo) / t.dl
	i := min(int(x), devPoints-2)
	w := x - float64(i)
	return t.mean[i]*(1-w) + t.mean[i+1]*w, t.vr[i]*(1-w) + t.vr[i+1]*w
}

// devianceSum sums the deviance's first two moments over the Poisson
// distribution of mean mu, far enough into the tail for float64.
func devianceSum(mu float64) (float64, float64) {
	top := int(mu + 14*math.Sqrt(mu) + 30)
	p := math.Exp(-mu) // P(y = 0)
	var m1, m2 float64
	for y := 0; y <= top; y++ {
		fy := float64(y)
		d := 2 * (mu - fy)
		if y > 0 {
			d += 2 * fy * math.Log(fy/mu)
			p *= mu / fy
		}
		m1 += p * d
		m2 += p * d * d
	}
	return m1, m2 - m1*m1
}
