package gradcheck

// Target is a differentiable model: named scalar parameters, a scalar loss
// and its analytic gradient. Values are in whatever units the model uses;
// the gradient must be in loss units per those units.
type Target interface {
	// Names lists the parameters in a fixed order.
	Names() []string
	// Value returns a parameter's current value.
	Value(name string) float64
	// SetValue changes a parameter; Check restores every value it changes.
	SetValue(name string, v float64)
	// Loss evaluates the loss at the current values (forward only).
	Loss() (float64, error)
	// Gradient returns the loss and its partial derivative with respect to
	// every parameter at the current values.
	Gradient() (loss float64, grad map[string]float64, err error)
	// Image returns the per-pixel values the loss is built from. A target
	// without an image returns nil and no error.
	Image() ([]float64, error)
}

// PixelTarget is a Target whose image can be differentiated pixel by pixel;
// Check uses it to name the worst pixel of every parameter.
type PixelTarget interface {
	Target
	// ImageSize returns the image's size: pixel (slow, fast) is element
	// slow*fast + fast of Image.
	ImageSize() (slow, fast int)
	// WeightedGradient returns the gradient of sum_i w[i]*Image()[i]: with
	// a one-hot w, the analytic derivative of one pixel.
	WeightedGradient(w []float64) (map[string]float64, error)
}

// LinearTarget is a PixelTarget whose loss is a fixed linear functional of
// its image, Loss = sum_i w[i]*Image()[i] (a sum or a weighted sum of
// pixels). Check then takes the loss's central difference as the weighted
// sum of the pixels' differences instead of the difference of two losses:
// the same number in exact arithmetic, but a large constant part of the
// image (a water background a million times brighter than the Bragg
// signal) no longer rounds the small change away.
type LinearTarget interface {
	PixelTarget
	// LossWeights returns w; ok is false when the current loss is not
	// linear in the image. A nil w with ok means every weight is 1.
	LossWeights() (w []float64, ok bool)
}
