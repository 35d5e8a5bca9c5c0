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
	if lt, ok := t.(LinearTarget); ok {
		if w, ok := lt.LossWeights(); ok {
			if err := c.setLinear(lt, w); err != nil {
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
	// pixelGrads caches one-hot gradients: one backward pass gives a
	// pixel's derivative for every parameter.
	pixelGrads map[int]map[string]float64
}

// setLinear verifies that the loss is the weighted sum of the image.
func (c *checker) setLinear(lt LinearTarget, w []float64) error {
	img, err := lt.Image()
	if err != nil {
		return fmt.Errorf("gradcheck: image: %w", err)
	}
	slow, fast := lt.ImageSize()
	if len(img) != slow*fast || (w != nil && len(w) != len(img)) {
		return fmt.Errorf("gradcheck: image has %d pixels, size %dx%d, %d loss weights", len(img), slow, fast, len(w))
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
	var images [][]float64 // per try: the image's central difference
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
		e, d := relErr(analytic, fd), math.Abs(analytic-fd)
		if len(r.Tries) == 1 || e < r.RelErr || (e == r.RelErr && d < r.AbsErr) {
			r.RelErr, r.AbsErr, r.Numeric, r.Step = e, d, fd, h
		}
	}
	if len(r.Tries) == 0 {
		return r, fmt.Errorf("gradcheck: %s = %g: every step is below the value's resolution (scale %g)", name, v, scale)
	}
	r.Pass = r.RelErr <= c.s.RelTol || r.AbsErr <= r.Floor
	if c.search {
		w, err := c.worstPixel(name, r, images)
		if err != nil {
			return r, err
		}
		r.Worst = w
		if w != nil && c.s.PixelRelTol > 0 && w.RelErr > c.s.PixelRelTol {
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

// worstPixel takes the pixels with the largest numeric derivative at the
// loss's chosen step and returns the one whose analytic derivative
// disagrees most with its best-agreeing central difference over all steps.
func (c *checker) worstPixel(name string, r Result, images [][]float64) (*Pixel, error) {
	chosen := 0
	for i, tr := range r.Tries {
		if tr.Step == r.Step {
			chosen = i
		}
	}
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
		p := &Pixel{Slow: i / fast, Fast: i % fast, Analytic: g[name]}
		for k, img := range images {
			e := relErr(p.Analytic, img[i])
			if k == 0 || e < p.RelErr {
				p.RelErr, p.Numeric, p.Step = e, img[i], r.Tries[k].Step
			}
		}
		if worst == nil || p.RelErr > worst.RelErr {
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
