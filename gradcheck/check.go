package gradcheck

import (
	"fmt"
	"math"
	"sort"
)

// linearTol is how closely sum(w*image) must reproduce a LinearTarget's
// loss: both are float64 sums of the same numbers, in different orders.
const linearTol = 1e-9

// Check compares t's analytic gradient with central differences for the
// named parameters (all of t.Names() when names is nil), in order. It
// returns an error when the target fails to evaluate, a name is unknown or
// a LinearTarget's loss is not the weighted sum of its image; a derivative
// that disagrees is a failed Result, not an error. Every value is restored
// before Check returns.
func Check(t Target, names []string, s Settings) (*Report, error) {
	s = s.withDefaults()
	known := map[string]bool{}
	for _, n := range t.Names() {
		known[n] = true
	}
	if names == nil {
		names = t.Names()
	}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("gradcheck: %q is not a parameter of the target", n)
		}
	}
	loss, grad, err := t.Gradient()
	if err != nil {
		return nil, fmt.Errorf("gradcheck: gradient: %w", err)
	}
	c := &checker{t: t, s: s, loss: loss, pixelGrads: map[int]map[string]float64{}}
	if pt, ok := t.(PixelTarget); ok {
		c.pt = pt
		c.search = s.Pixels > 0
	}
	if c.pt != nil && (c.search || isLinear(t)) {
		img, err := c.pt.Image()
		if err != nil {
			return nil, fmt.Errorf("gradcheck: image: %w", err)
		}
		slow, fast := c.pt.ImageSize()
		if len(img) != slow*fast {
			return nil, fmt.Errorf("gradcheck: image has %d pixels, size %dx%d", len(img), slow, fast)
		}
		c.image = img
	}
	if lt, ok := t.(LinearTarget); ok {
		if w, ok := lt.LossWeights(); ok {
			if err := c.setLinear(w); err != nil {
				return nil, err
			}
		}
	}
	rep := &Report{Loss: loss}
	for _, name := range names {
		a, ok := grad[name]
		if !ok {
			return nil, fmt.Errorf("gradcheck: the gradient has no entry for %q", name)
		}
		r, err := c.param(name, a)
		if err != nil {
			return nil, err
		}
		rep.Results = append(rep.Results, r)
	}
	return rep, nil
}

type checker struct {
	t      Target
	pt     PixelTarget // nil: t has no per-pixel derivatives
	search bool        // find the worst pixel
	s      Settings
	loss   float64
	// linear: the loss is sum(weights * image); differences come from the
	// images alone.
	linear  bool
	weights []float64
	// image is the image at the unperturbed values.
	image []float64
	// pixelGrads caches one-hot gradients: one backward pass gives a
	// pixel's derivative for every parameter.
	pixelGrads map[int]map[string]float64
}

func isLinear(t Target) bool {
	lt, ok := t.(LinearTarget)
	if !ok {
		return false
	}
	_, ok = lt.LossWeights()
	return ok
}

// setLinear verifies that the loss is the weighted sum of the image.
func (c *checker) setLinear(w []float64) error {
	img := c.image
	if w != nil && len(w) != len(img) {
		return fmt.Errorf("gradcheck: %d loss weights for %d pixels", len(w), len(img))
	}
	sum, abs := weighted(w, img, nil)
	if math.Abs(sum-c.loss) > linearTol*math.Max(abs, math.Abs(c.loss)) {
		return fmt.Errorf("gradcheck: the loss %.17g is not the weighted sum of the image %.17g", c.loss, sum)
	}
	c.linear, c.weights = true, w
	return nil
}

// weighted returns sum(w*(a-b)) and sum(|w*a|) (b may be nil, w nil is 1).
func weighted(w, a, b []float64) (sum, abs float64) {
	for i, x := range a {
		if b != nil {
			x -= b[i]
		}
		if w != nil {
			x *= w[i]
		}
		sum += x
		abs += math.Abs(x)
	}
	return sum, abs
}

// at evaluates f with parameter name set to v, restoring the old value.
func at[T any](t Target, name string, v float64, f func() (T, error)) (T, error) {
	old := t.Value(name)
	defer t.SetValue(name, old)
	t.SetValue(name, v)
	return f()
}

func (c *checker) param(name string, analytic float64) (Result, error) {
	v := c.t.Value(name)
	scale := c.s.Scale(name, v)
	r := Result{Name: name, Value: v, Scale: scale, Analytic: analytic}
	r.Floor = c.s.AbsTol * math.Abs(c.loss) / scale
	var images [][]float64 // per try: the image's derivative estimate
	for _, rel := range c.s.steps(name) {
		h := rel * scale
		if v+h == v || v-h == v {
			continue // below the value's resolution
		}
		span := (v + h) - (v - h) // the step actually taken
		var fd float64
		if c.linear || c.search {
			img, err := c.imageDerivative(name, v, h)
			if err != nil {
				return r, err
			}
			images = append(images, img)
			if c.linear {
				fd, _ = weighted(c.weights, img, nil)
			}
		}
		if !c.linear {
			lp, err := at(c.t, name, v+h, c.t.Loss)
			if err != nil {
				return r, fmt.Errorf("gradcheck: %s = %g: %w", name, v+h, err)
			}
			lm, err := at(c.t, name, v-h, c.t.Loss)
			if err != nil {
				return r, fmt.Errorf("gradcheck: %s = %g: %w", name, v-h, err)
			}
			fd = (lp - lm) / span
		}
		r.Tries = append(r.Tries, Try{Step: h, Numeric: fd})
	}
	if len(r.Tries) == 0 {
		return r, fmt.Errorf("gradcheck: %s = %g: every step is below the value's resolution (scale %g)", name, v, scale)
	}
	// Richardson extrapolation of neighbouring steps h1 > h2: the central
	// difference is f' + c h^2 + O(h^4), so (q D(h2) - D(h1)) / (q - 1)
	// with q = (h1/h2)^2 is f' + O(h^4).
	central := len(r.Tries)
	for i := 0; i+1 < central; i++ {
		h1, h2 := r.Tries[i].Step, r.Tries[i+1].Step
		q := (h1 / h2) * (h1 / h2)
		ext := func(d1, d2 float64) float64 { return (q*d2 - d1) / (q - 1) }
		r.Tries = append(r.Tries, Try{Step: h2, From: h1, Numeric: ext(r.Tries[i].Numeric, r.Tries[i+1].Numeric)})
		if images != nil {
			img := make([]float64, len(images[i]))
			for j := range img {
				img[j] = ext(images[i][j], images[i+1][j])
			}
			images = append(images, img)
		}
	}
	best := 0
	for i, tr := range r.Tries {
		e, d := relErr(analytic, tr.Numeric), math.Abs(analytic-tr.Numeric)
		if i == 0 || e < r.RelErr || (e == r.RelErr && d < r.AbsErr) {
			best, r.RelErr, r.AbsErr = i, e, d
		}
	}
	r.Numeric, r.Step, r.From = r.Tries[best].Numeric, r.Tries[best].Step, r.Tries[best].From
	r.Zero = math.Abs(r.Analytic) <= r.Floor && math.Abs(r.Numeric) <= r.Floor
	r.Pass = r.RelErr <= c.s.RelTol || r.AbsErr <= r.Floor
	if c.search {
		w, err := c.worstPixel(name, r, images, best)
		if err != nil {
			return r, err
		}
		r.Worst = w
		if w != nil && c.s.PixelRelTol > 0 && w.Err() > c.s.PixelRelTol {
			r.Pass = false
		}
	}
	return r, nil
}

// imageDerivative returns the central difference of the image.
func (c *checker) imageDerivative(name string, v, h float64) ([]float64, error) {
	ip, err := at(c.t, name, v+h, c.pt.Image)
	if err != nil {
		return nil, fmt.Errorf("gradcheck: image at %s = %g: %w", name, v+h, err)
	}
	im, err := at(c.t, name, v-h, c.pt.Image)
	if err != nil {
		return nil, fmt.Errorf("gradcheck: image at %s = %g: %w", name, v-h, err)
	}
	slow, fast := c.pt.ImageSize()
	if len(ip) != slow*fast || len(im) != slow*fast {
		return nil, fmt.Errorf("gradcheck: image at %s = %g±%g has %d and %d pixels, size %dx%d", name, v, h, len(ip), len(im), slow, fast)
	}
	span := (v + h) - (v - h)
	for i := range ip {
		ip[i] = (ip[i] - im[i]) / span
	}
	return ip, nil
}

// worstPixel takes the pixels with the largest numeric derivative in the
// loss's chosen estimate and returns the one whose analytic derivative
// disagrees most with its best-agreeing estimate over all tries.
func (c *checker) worstPixel(name string, r Result, images [][]float64, chosen int) (*Pixel, error) {
	fd := images[chosen]
	order := make([]int, 0, len(fd))
	for i, x := range fd {
		if x != 0 {
			order = append(order, i)
		}
	}
	// Largest |numeric derivative| first; ties by pixel index.
	sort.SliceStable(order, func(a, b int) bool { return math.Abs(fd[order[a]]) > math.Abs(fd[order[b]]) })
	if len(order) > c.s.Pixels {
		order = order[:c.s.Pixels]
	}
	_, fast := c.pt.ImageSize()
	var worst *Pixel
	for _, i := range order {
		g, err := c.pixelGradient(i, len(fd))
		if err != nil {
			return nil, err
		}
		p := &Pixel{Slow: i / fast, Fast: i % fast, Analytic: g[name], Floor: c.s.AbsTol * math.Abs(c.image[i]) / r.Scale}
		var abs float64
		for k, img := range images {
			e, d := relErr(p.Analytic, img[i]), math.Abs(p.Analytic-img[i])
			if k == 0 || e < p.RelErr || (e == p.RelErr && d < abs) {
				p.RelErr, p.Numeric, p.Step, p.From, abs = e, img[i], r.Tries[k].Step, r.Tries[k].From, d
			}
		}
		// A pixel is numerically zero when both derivatives are within its
		// floor, or when its analytic derivative is exactly 0 and the
		// numeric one is below the whole loss's floor (the water thickness
		// at 0, where the background is cubic, leaves extrapolation
		// rounding above the pixel's own floor).
		p.Zero = math.Abs(p.Analytic) <= p.Floor && math.Abs(p.Numeric) <= p.Floor ||
			p.Analytic == 0 && math.Abs(p.Numeric) <= r.Floor
		if worst == nil || p.Err() > worst.Err() {
			worst = p
		}
	}
	return worst, nil
}

func (c *checker) pixelGradient(i, n int) (map[string]float64, error) {
	if g, ok := c.pixelGrads[i]; ok {
		return g, nil
	}
	w := make([]float64, n)
	w[i] = 1
	g, err := c.pt.WeightedGradient(w)
	if err != nil {
		return nil, fmt.Errorf("gradcheck: gradient of pixel %d: %w", i, err)
	}
	c.pixelGrads[i] = g
	return g, nil
}
