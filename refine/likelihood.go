package refine

import (
	"fmt"
	"math"
	"strings"

	"gobragg/graph"
)

// ParseLikelihood reads a likelihood name, poisson, gaussian or lsq (any
// case); the Gaussian one has no readout noise (see NewGaussian).
func ParseLikelihood(name string) (Likelihood, error) {
	switch strings.ToLower(name) {
	case "poisson":
		return Poisson{}, nil
	case "gaussian":
		return Gaussian{}, nil
	case "lsq":
		return LSQ{}, nil
	}
	return nil, fmt.Errorf("unknown loss %q (want poisson, gaussian or lsq)", name)
}

// Likelihood is one pixel's negative log-likelihood of observed counts y
// given expected counts mu (both in counts), the only definition of the
// losses: the graph's loss (DataLoss), the Fisher information, the pixel
// weights and the goodness of fit all read it. Poisson, Gaussian and LSQ
// are the likelihoods; each value carries its own parameters.
type Likelihood interface {
	// Name is the likelihood's name, as ParseLikelihood reads it.
	Name() string
	// Term is the pixel's term of the loss; +Inf for an impossible model
	// (a Poisson mu < 0, or mu = 0 under y > 0; a Gaussian variance <= 0).
	Term(y, mu float64) float64
	// DMu is d Term / d mu (NaN where Term is +Inf).
	DMu(y, mu float64) float64
	// Weight is the pixel's Fisher information about mu, 1/variance:
	// 1/mu for Poisson (0 where mu <= 0: no information), 1/(mu +
	// readout^2) for Gaussian, and 1 for least squares, which has no
	// noise model: its weights are in units of 1/s^2, the residual
	// variance the caller estimates.
	Weight(mu float64) float64
	// check reports parameters the likelihood cannot have.
	check() error
	// fit is the pixel's goodness-of-fit statistic and the statistic's
	// mean and variance were y drawn from the model (ok false: the pixel
	// or the loss has none).
	fit(y, mu float64) (value, mean, variance float64, ok bool)
	// statistic names the goodness-of-fit statistic ("none": none).
	statistic() string
}

// Poisson is the Poisson negative log-likelihood, sum(mu - y log mu).
type Poisson struct{}

// Name is "poisson".
func (Poisson) Name() string { return "poisson" }

func (Poisson) check() error { return nil }

func (Poisson) Term(y, mu float64) float64 {
	switch {
	case mu < 0 || (mu == 0 && y != 0):
		// No Poisson mean is negative: without this a pixel of 0 counts
		// would reward a background run to minus infinity.
		return math.Inf(1)
	case y == 0:
		return mu
	}
	return mu - y*math.Log(mu)
}

func (Poisson) DMu(y, mu float64) float64 {
	switch {
	case mu < 0 || (mu == 0 && y != 0):
		return math.NaN()
	case y == 0:
		return 1
	}
	return 1 - y/mu
}

func (Poisson) Weight(mu float64) float64 {
	if mu > 0 {
		return 1 / mu
	}
	return 0
}

// fit is the Poisson deviance 2[y log(y/mu) - (y - mu)].
func (Poisson) fit(y, mu float64) (value, mean, variance float64, ok bool) {
	if !(mu > 0) {
		return 0, 0, 0, false
	}
	d := mu - y
	if y > 0 {
		d += y * math.Log(y/mu)
	}
	mean, variance = devianceMoments(mu)
	return 2 * d, mean, variance, true
}

func (Poisson) statistic() string { return "poisson deviance" }

// Gaussian is diffBragg's Gaussian negative log-likelihood,
// 0.5 sum[log(2 pi V) + (y - mu)^2 / V], with variance V = mu + Readout^2.
type Gaussian struct {
	// Readout is the readout noise in photons (finite, >= 0).
	Readout float64
}

// NewGaussian returns the Gaussian likelihood of readout noise readout
// (photons), which must be finite and >= 0.
func NewGaussian(readout float64) (Gaussian, error) {
	g := Gaussian{Readout: readout}
	return g, g.check()
}

// Name is "gaussian".
func (Gaussian) Name() string { return "gaussian" }

func (g Gaussian) check() error {
	if g.Readout < 0 || math.IsNaN(g.Readout) || math.IsInf(g.Readout, 0) {
		return fmt.Errorf("gaussian readout noise must be finite and >= 0, got %g", g.Readout)
	}
	return nil
}

// variance is the pixel's variance at expected counts mu (the conversion
// rounds Readout^2 before the sum: no fused multiply-add).
func (g Gaussian) variance(mu float64) float64 { return mu + float64(g.Readout*g.Readout) }

func (g Gaussian) Term(y, mu float64) float64 {
	v := g.variance(mu)
	if v <= 0 {
		return math.Inf(1)
	}
	r := y - mu
	return 0.5 * (math.Log(2*math.Pi*v) + r*r/v)
}

func (g Gaussian) DMu(y, mu float64) float64 {
	v := g.variance(mu)
	if v <= 0 {
		return math.NaN()
	}
	r := y - mu
	return 0.5/v - r/v - 0.5*r*r/(v*v)
}

func (g Gaussian) Weight(mu float64) float64 { return 1 / g.variance(mu) }

// fit is chi-squared, (y - mu)^2 / V.
func (g Gaussian) fit(y, mu float64) (value, mean, variance float64, ok bool) {
	v := g.variance(mu)
	if !(v > 0) {
		return 0, 0, 0, false
	}
	return (y - mu) * (y - mu) / v, 1, 2, true
}

func (Gaussian) statistic() string { return "chi-squared" }

// LSQ is least squares, sum((y - mu)^2).
type LSQ struct{}

// Name is "lsq".
func (LSQ) Name() string { return "lsq" }

func (LSQ) check() error { return nil }

func (LSQ) Term(y, mu float64) float64 { r := y - mu; return r * r }
func (LSQ) DMu(y, mu float64) float64  { return -2 * (y - mu) }
func (LSQ) Weight(float64) float64     { return 1 }

// fit: least squares has no noise model to test against.
func (LSQ) fit(y, mu float64) (value, mean, variance float64, ok bool) { return 0, 0, 0, false }
func (LSQ) statistic() string                                          { return "none" }

// DataLoss is the graph.Loss of observed counts: the sum over the
// rendered pixels of a Likelihood's Term(y, mu), with expected counts
// mu = scale*image + background + b: scale and background are the
// parameters graph.PScale and graph.PBackground of theta (absent: 1 and 0)
// and b an optional per-pixel background in counts (SetBackground: a
// local background model such as one per shoebox, which the caller fits
// with GradientBackground). A NaN count leaves its pixel out.
type DataLoss struct {
	like         Likelihood
	data         []float64
	iScale, iBkg int       // indices in theta, or -1
	bkg          []float64 // per pixel; nil: none
	dMu          []float64 // dL/dmu of the last backward pass
}

// NewDataLoss returns the loss of counts data (one per rendered pixel,
// NaN: left out) under like, reading scale and background from the
// parameters params (those of the experiment the graph is built from).
func NewDataLoss(like Likelihood, data []float64, params *graph.Params) *DataLoss {
	return &DataLoss{like: like, data: data, iScale: params.Index(graph.PScale), iBkg: params.Index(graph.PBackground)}
}

// Pixels is the number of counts.
func (l *DataLoss) Pixels() int { return len(l.data) }

func (l *DataLoss) scaleBkg(theta []float64) (scale, bkg float64) {
	scale = 1
	if l.iScale >= 0 {
		scale = theta[l.iScale]
	}
	if l.iBkg >= 0 {
		bkg = theta[l.iBkg]
	}
	return scale, bkg
}

// pixelBkg is the per-pixel background of rendered pixel i.
func (l *DataLoss) pixelBkg(i int) float64 {
	if l.bkg == nil {
		return 0
	}
	return l.bkg[i]
}

// mu is the expected counts of rendered pixel i of simulated photons
// image: scale * image + background + its own background.
func (l *DataLoss) mu(scale, bkg, image float64, i int) float64 {
	return scale*image + bkg + l.pixelBkg(i)
}

// expected returns every rendered pixel's expected counts for the
// graph's image and parameters theta.
func (l *DataLoss) expected(image, theta []float64) []float64 {
	scale, bkg := l.scaleBkg(theta)
	out := make([]float64, len(image))
	for i, v := range image {
		out[i] = l.mu(scale, bkg, v, i)
	}
	return out
}

// background returns every rendered pixel's background counts (the mu of
// an image of zeros) under parameters theta.
func (l *DataLoss) background(theta []float64) []float64 {
	_, bkg := l.scaleBkg(theta)
	out := make([]float64, len(l.data))
	for i := range out {
		out[i] = l.mu(0, bkg, 0, i)
	}
	return out
}

// Value is the loss of rendered pixels start, start+1, ... (graph.Loss).
func (l *DataLoss) Value(start int, image, theta []float64) float64 {
	scale, bkg := l.scaleBkg(theta)
	sum := 0.0
	for i, y := range l.data[start : start+len(image)] {
		if math.IsNaN(y) {
			continue
		}
		sum += l.like.Term(y, l.mu(scale, bkg, image[i], start+i))
	}
	return sum
}

// Cotangent gives dL/dimage and dL/d scale, background (graph.Loss), and
// keeps dL/dmu per pixel for GradientBackground.
func (l *DataLoss) Cotangent(start int, image, theta, dImage, dTheta []float64) {
	scale, bkg := l.scaleBkg(theta)
	if l.dMu == nil {
		l.dMu = make([]float64, len(l.data))
	}
	var gScale, gBkg float64
	for i, y := range l.data[start : start+len(image)] {
		if math.IsNaN(y) {
			continue
		}
		d := l.like.DMu(y, l.mu(scale, bkg, image[i], start+i))
		dImage[i] = d * scale
		l.dMu[start+i] = d
		gScale += d * image[i]
		gBkg += d
	}
	if l.iScale >= 0 {
		dTheta[l.iScale] += gScale
	}
	if l.iBkg >= 0 {
		dTheta[l.iBkg] += gBkg
	}
}

// SetBackground replaces the per-pixel background (one value per count,
// in counts) for the next run of the graph.
func (l *DataLoss) SetBackground(b []float64) error {
	if len(b) != len(l.data) {
		return fmt.Errorf("refine: background has %d pixels, the data %d", len(b), len(l.data))
	}
	for i, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("refine: background of pixel %d is %g", i, v)
		}
	}
	l.bkg = append(l.bkg[:0], b...)
	return nil
}

// GradientBackground returns d loss / d background for every rendered
// pixel (0 where the count is NaN), from the last backward pass.
func (l *DataLoss) GradientBackground() ([]float64, error) {
	if l.dMu == nil {
		return nil, fmt.Errorf("refine: background gradient not available: the graph has not run its backward pass")
	}
	return append([]float64(nil), l.dMu...), nil
}
