package physics

import "math"

// Sinc3 returns the Fourier transform of a sphere, 3·(sin(x)/x − cos(x))/x²,
// normalised to 1 at x == 0, exactly as nanoBragg's sinc3 (x in radians).
//
// Like the C function it cancels badly for small nonzero |x|: the relative
// error grows like 1e-16/x², so below |x| ≈ 1e-8 it can even return 0. This
// is kept for parity; Sinc3Dx describes the exact function.
func Sinc3(x float64) float64 {
	if x == 0 {
		return 1
	}
	return sinc3Parts(x, sin(x), cos(x))
}

// sinc3Parts is C's sinc3 formula given s = sin(x) and c = cos(x).
func sinc3Parts(x, s, c float64) float64 { return 3.0 * (s/x - c) / (x * x) }

// Sinc3Dx returns d/dx of the exact sphere transform,
// 3·((x²−3)·sin x + 3x·cos x)/x⁴, from a power series for |x| < 1.5 so that
// it is accurate at and near 0 (where it is 0 and behaves as −x/5).
func Sinc3Dx(x float64) float64 {
	if math.Abs(x) < sinc3SeriesLimit {
		return x * sinc3DxOverXSeries(x*x)
	}
	s, c := sincos(x)
	x2 := x * x
	return 3 * ((x2-3)*s + 3*x*c) / (x2 * x2)
}

// Sinc3DxOverX returns Sinc3Dx(x)/x, which is finite at x == 0 (−1/5). It is
// the form needed when the argument is itself a square root, x = π·sqrt(q):
// d Sinc3/dq = Sinc3DxOverX(x)·π²/2 has no 1/sqrt(q) singularity.
func Sinc3DxOverX(x float64) float64 {
	if math.Abs(x) < sinc3SeriesLimit {
		return sinc3DxOverXSeries(x * x)
	}
	return Sinc3Dx(x) / x
}

// sinc3Accurate returns the exact sphere transform to a few ulps, from a
// power series for |x| < 1.5 where C's closed form cancels. Gradients that
// need the value itself (∂F/∂N) use it.
func sinc3Accurate(x float64) float64 {
	if math.Abs(x) >= sinc3SeriesLimit {
		return Sinc3(x)
	}
	y, s := x*x, 0.0
	for m := len(sinc3Coeff) - 1; m >= 0; m-- {
		s = s*y + sinc3Coeff[m]
	}
	return s
}

// sinc3Coeff[m] is the coefficient of y^m (y = x²) in sinc3:
// 3·(−1)^(k+1)·2k/(2k+1)! with k = m+1.
var sinc3Coeff = func() (e [15]float64) {
	fact := 6.0 // (2k+1)! for k = 1
	for m := range e {
		k := float64(m + 1)
		sign := 1.0
		if m%2 == 1 {
			sign = -1
		}
		e[m] = sign * 3 * 2 * k / fact
		fact *= (2*k + 2) * (2*k + 3)
	}
	return e
}()

// sinc3SeriesLimit is where Sinc3Dx switches from its series to the closed
// form; at |x| = 1.5 the closed form loses under 10 ulps to cancellation and
// the series has converged to below 1e-20.
const sinc3SeriesLimit = 1.5

// sinc3DxOverXCoeff[m] is the coefficient of y^m (y = x²) in Sinc3Dx(x)/x:
// 3·(−1)^(k+1)·2k·(2k−2)/(2k+1)! with k = m+2.
var sinc3DxOverXCoeff = func() (e [14]float64) {
	fact := 120.0 // (2k+1)! for k = 2
	for m := range e {
		k := float64(m + 2)
		sign := 1.0
		if m%2 == 0 {
			sign = -1
		}
		e[m] = sign * 3 * 2 * k * (2*k - 2) / fact
		fact *= (2*k + 2) * (2*k + 3)
	}
	return e
}()

func sinc3DxOverXSeries(y float64) float64 {
	s := 0.0
	for m := len(sinc3DxOverXCoeff) - 1; m >= 0; m-- {
		s = s*y + sinc3DxOverXCoeff[m]
	}
	return s
}
