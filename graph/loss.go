package graph

// Parameters of a caller's data model that theta may carry, such as
// refine's expected counts mu = scale * image + background: they do not
// enter the simulation; a Loss reads them from theta and gives their
// derivatives (absent: the loss does without them).
const (
	PScale      = "scale"      // expected counts per simulated photon
	PBackground = "background" // constant expected counts added to every pixel
)

// Loss is a scalar function of the simulated image that Build puts at the
// end of its graph: the caller's loss (a likelihood of observed counts, a
// squared error, a regulariser). The graph knows nothing of what it
// means: Run evaluates it span by span and adds the spans' values up in
// span order, and the backward pass asks it for the cotangent dL/dimage
// per pixel, which the graph carries back through the simulation to theta
// and F. A nil Loss is the sum of the image.
//
// A Loss of a Model is called from one goroutine at a time, the pixels of
// a span at once, and the spans in order.
type Loss interface {
	// Pixels is the number of rendered pixels the loss has values for
	// (Build checks it against the image), or 0 for any number.
	Pixels() int
	// Value returns the loss of the rendered pixels start, start+1, ...,
	// start+len(image)-1 (indices into Options.Pixels with a pixel list):
	// image holds their photons, theta the parameters (packed order,
	// graph units).
	Value(start int, image, theta []float64) float64
	// Cotangent writes dL/dimage of the same pixels (per photon) into
	// dImage, and adds into dTheta (zero on entry) the loss's own
	// derivatives with respect to theta: those of parameters that act
	// after the simulation, such as PScale.
	Cotangent(start int, image, theta, dImage, dTheta []float64)
}

// lossFunc puts a Loss in the graph: inputs the span's image and theta,
// output the loss of the span's rendered pixels (the image's padding past
// the last rendered pixel is left out).
type lossFunc struct {
	loss          Loss
	kernel        *Diffraction // its Span is the span the image holds
	span, nparams int
}

func (f lossFunc) Name() string   { return "loss" }
func (f lossFunc) InSizes() []int { return []int{f.span, f.nparams} }
func (f lossFunc) OutSize() int   { return 1 }

func (f lossFunc) Forward(in [][]float64, out []float64) error {
	s := f.kernel.Span
	out[0] = f.loss.Value(s[0], in[0][:s[1]-s[0]], in[1])
	return nil
}

func (f lossFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	s := f.kernel.Span
	n := s[1] - s[0]
	f.loss.Cotangent(s[0], in[0][:n], in[1], gIn[0][:n], gIn[1])
	if g := gOut[0]; g != 1 {
		for _, v := range gIn {
			for i := range v {
				v[i] *= g
			}
		}
	}
	return nil
}

// sumLoss is the sum of the image, the loss of a nil Options.Loss.
type sumLoss struct{}

func (sumLoss) Pixels() int { return 0 }

func (sumLoss) Value(_ int, image, _ []float64) float64 {
	s := 0.0
	for _, v := range image {
		s += v
	}
	return s
}

func (sumLoss) Cotangent(_ int, image, _, dImage, _ []float64) {
	for i := range dImage {
		dImage[i] = 1
	}
}

// Weighted is the loss sum(w * image) with one weight per rendered pixel:
// with a one-hot weight vector it gives the gradient of a single pixel
// (gradcheck's pixel checks).
type Weighted []float64

func (w Weighted) Pixels() int { return len(w) }

func (w Weighted) Value(start int, image, _ []float64) float64 {
	s := 0.0
	for i, v := range image {
		s += v * w[start+i]
	}
	return s
}

func (w Weighted) Cotangent(start int, _, _, dImage, _ []float64) {
	copy(dImage, w[start:])
}

// Squared is the loss sum((image - target)^2) with one target value per
// rendered pixel, in photons (examples/gradient).
type Squared []float64

func (t Squared) Pixels() int { return len(t) }

func (t Squared) Value(start int, image, _ []float64) float64 {
	s := 0.0
	for i, v := range image {
		d := v - t[start+i]
		s += d * d
	}
	return s
}

func (t Squared) Cotangent(start int, image, _, dImage, _ []float64) {
	for i, v := range image {
		dImage[i] = 2 * (v - t[start+i])
	}
}
