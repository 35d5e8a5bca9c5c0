package graph

import (
	"math"
)

// Parameters of the data model mu = scale * image + background that the
// data losses read from theta (absent: scale 1, background 0). They do not
// enter the simulation itself.
const (
	PScale      = "scale"      // expected counts per simulated photon
	PBackground = "background" // constant expected counts added to every pixel
)

// dataLossFunc is the negative log-likelihood (or squared error) of
// observed counts y given the model's expected counts
// mu = scale*image + background, summed over the span's pixels whose y is
// not NaN (NaN marks a pixel that is masked, outside the ROI, or past the
// end of the detector).
//
// Inputs: the span's image, theta, the span's y and the span's per-pixel
// background b (added to mu: mu = scale*image + background + b; zeros
// unless Options.Background). Output: one value.
type dataLossFunc struct {
	kind          Loss
	span, nparams int
	iScale, iBkg  int     // indices in theta, or -1
	readVar       float64 // Gaussian loss: readout variance in photons^2
}

func (f dataLossFunc) Name() string   { return "data_loss" }
func (f dataLossFunc) InSizes() []int { return []int{f.span, f.nparams, f.span, f.span} }
func (f dataLossFunc) OutSize() int   { return 1 }

func (f dataLossFunc) scaleBkg(theta []float64) (scale, bkg float64) {
	scale = 1
	if f.iScale >= 0 {
		scale = theta[f.iScale]
	}
	if f.iBkg >= 0 {
		bkg = theta[f.iBkg]
	}
	return
}

// PixelLoss returns one pixel's term of the loss and its derivative with
// respect to mu, for observed counts y and expected counts mu. readVar is
// the Gaussian loss's readout variance (photons^2). A Poisson mu < 0, or
// mu = 0 under y > 0 (or a Gaussian variance <= 0), is an impossible
// model: +Inf.
func PixelLoss(kind Loss, y, mu, readVar float64) (term, dmu float64) {
	switch kind {
	case LossPoisson:
		if mu < 0 || (mu == 0 && y != 0) {
			// No Poisson mean is negative: without this a pixel of 0
			// counts would reward a background run to minus infinity.
			return math.Inf(1), math.NaN()
		}
		if y == 0 {
			return mu, 1
		}
		return mu - y*math.Log(mu), 1 - y/mu
	case LossGaussian:
		v := mu + readVar
		if v <= 0 {
			return math.Inf(1), math.NaN()
		}
		r := y - mu
		return 0.5 * (math.Log(2*math.Pi*v) + r*r/v), 0.5/v - r/v - 0.5*r*r/(v*v)
	case LossLSQ:
		r := y - mu
		return r * r, -2 * r
	}
	return math.NaN(), math.NaN()
}

func (f dataLossFunc) Forward(in [][]float64, out []float64) error {
	scale, bkg := f.scaleBkg(in[1])
	sum := 0.0
	for i, y := range in[2] {
		if math.IsNaN(y) {
			continue
		}
		t, _ := PixelLoss(f.kind, y, scale*in[0][i]+bkg+in[3][i], f.readVar)
		sum += t
	}
	out[0] = sum
	return nil
}

func (f dataLossFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	scale, bkg := f.scaleBkg(in[1])
	g := gOut[0]
	var gScale, gBkg float64
	for i, y := range in[2] {
		if math.IsNaN(y) {
			continue
		}
		_, d := PixelLoss(f.kind, y, scale*in[0][i]+bkg+in[3][i], f.readVar)
		gIn[0][i] = g * d * scale
		gIn[3][i] = g * d
		gScale += g * d * in[0][i]
		gBkg += g * d
	}
	if f.iScale >= 0 {
		gIn[1][f.iScale] += gScale
	}
	if f.iBkg >= 0 {
		gIn[1][f.iBkg] += gBkg
	}
	return nil
}

// isDataLoss reports whether the loss compares the image with counts.
func (l Loss) isDataLoss() bool { return l == LossPoisson || l == LossGaussian || l == LossLSQ }
