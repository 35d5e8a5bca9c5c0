package physics

import (
	"math"
	"testing"
)

// fd returns the five-point central difference of f at x with step h
// (truncation error O(h⁴)).
func fd(f func(float64) float64, x, h float64) float64 {
	return (-f(x+2*h) + 8*f(x+h) - 8*f(x-h) + f(x-2*h)) / (12 * h)
}

// close reports whether got and want agree to rtol relative to the larger
// magnitude, or to atol absolutely.
func closeTo(got, want, rtol, atol float64) bool {
	d := math.Abs(got - want)
	return d <= atol || d <= rtol*math.Max(math.Abs(got), math.Abs(want))
}

// checkFD compares an analytic derivative with fd and reports the case.
func checkFD(t *testing.T, what string, analytic float64, f func(float64) float64, x, h, rtol, atol float64) {
	t.Helper()
	num := fd(f, x, h)
	if !closeTo(analytic, num, rtol, atol) || math.IsNaN(analytic) {
		t.Errorf("%s: analytic %.15g, finite difference %.15g (diff %.3g)", what, analytic, num, analytic-num)
	}
}

// rng is a small deterministic generator for test points (splitmix64).
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9E3779B97F4A7C15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// uniform returns a float64 in [a, b).
func (r *rng) uniform(a, b float64) float64 {
	return a + (b-a)*float64(r.next()>>11)/(1<<53)
}

// intn returns an integer in [a, b].
func (r *rng) intn(a, b int) int { return a + int(r.next()%uint64(b-a+1)) }
