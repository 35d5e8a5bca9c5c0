package physics

import "math"

// The helpers below repeat nanoBragg's vector utilities with their exact
// evaluation order. Arrays hold C's elements 1..3 at indices 0..2. Each
// product is converted with float64() so that no compiler may fuse it into a
// multiply-add (C parity needs every rounding).

// dot returns x0*y0 + x1*y1 + x2*y2 summed left to right (C dot_product).
func dot(x, y [3]float64) float64 {
	return float64(float64(x[0]*y[0])+float64(x[1]*y[1])) + float64(x[2]*y[2])
}

// magnitude returns sqrt(x.x) (C magnitude).
func magnitude(x [3]float64) float64 { return math.Sqrt(dot(x, x)) }

// Unitize returns x/|x| and |x| as nanoBragg's unitize computes them; the
// zero vector gives zeros.
func Unitize(x [3]float64) ([3]float64, float64) { return unitize(x) }

func unitize(x [3]float64) ([3]float64, float64) {
	m := magnitude(x)
	if m == 0 {
		return [3]float64{}, m
	}
	return [3]float64{x[0] / m, x[1] / m, x[2] / m}, m
}

// cross returns x × y as C cross_product computes it.
func cross(x, y [3]float64) [3]float64 {
	return [3]float64{
		float64(x[1]*y[2]) - float64(x[2]*y[1]),
		float64(x[2]*y[0]) - float64(x[0]*y[2]),
		float64(x[0]*y[1]) - float64(x[1]*y[0]),
	}
}

// scale returns s*x.
func scale(s float64, x [3]float64) [3]float64 { return [3]float64{s * x[0], s * x[1], s * x[2]} }

// add returns x + y.
func add(x, y [3]float64) [3]float64 { return [3]float64{x[0] + y[0], x[1] + y[1], x[2] + y[2]} }

// UnitizeBack maps the gradient gy of a loss with respect to y = x/|x|
// (m = |x|) to the gradient with respect to x: (gy - y (y.gy)) / |x|. A
// zero vector (for which Unitize returns the constant zero) passes no
// gradient.
func UnitizeBack(y [3]float64, m float64, gy [3]float64) [3]float64 { return unitizeBack(y, m, gy) }

func unitizeBack(y [3]float64, m float64, gy [3]float64) [3]float64 {
	if m == 0 {
		return [3]float64{}
	}
	p := dot(y, gy)
	return [3]float64{(gy[0] - y[0]*p) / m, (gy[1] - y[1]*p) / m, (gy[2] - y[2]*p) / m}
}
