package physics

import (
	"fmt"
	"math"
	"testing"
)

func TestSinc3DxSeriesAndClosedFormAgree(t *testing.T) {
	// Between 0.5 and 3 both the series and the closed form are accurate.
	for x := 0.5; x <= 3; x += 0.0625 {
		s, c := math.Sincos(x)
		closed := 3 * ((x*x-3)*s + 3*x*c) / (x * x * x * x)
		series := x * sinc3DxOverXSeries(x*x)
		if !closeTo(series, closed, 1e-13, 0) {
			t.Errorf("x=%v: series %.17g, closed form %.17g", x, series, closed)
		}
	}
}

func TestSinc3DxNearZero(t *testing.T) {
	// Taylor: sinc3 = 1 − x²/10 + x⁴/280 − x⁶/15120, so
	// sinc3' = −x/5 + x³/70 − x⁵/2520 + x⁷/166320 + O(x⁹).
	for _, x := range []float64{0, 1e-300, 1e-12, -1e-8, 1e-4, 3e-3, -0.01, 0.05} {
		want := -x/5 + x*x*x/70 - math.Pow(x, 5)/2520 + math.Pow(x, 7)/166320
		if got := Sinc3Dx(x); !closeTo(got, want, 1e-14, 0) {
			t.Errorf("Sinc3Dx(%v) = %.17g, Taylor %.17g", x, got, want)
		}
		wantOver := -1.0/5 + x*x/70 - math.Pow(x, 4)/2520 + math.Pow(x, 6)/166320
		wantS := 1 - x*x/10 + math.Pow(x, 4)/280 - math.Pow(x, 6)/15120 + math.Pow(x, 8)/1330560
		if got := sinc3Accurate(x); !closeTo(got, wantS, 1e-15, 0) {
			t.Errorf("sinc3Accurate(%v) = %.17g, Taylor %.17g", x, got, wantS)
		}
		if got := Sinc3DxOverX(x); !closeTo(got, wantOver, 1e-14, 0) {
			t.Errorf("Sinc3DxOverX(%v) = %.17g, Taylor %.17g", x, got, wantOver)
		}
	}
	if Sinc3(0) != 1 {
		t.Errorf("Sinc3(0) = %v, want 1", Sinc3(0))
	}
}

func TestSinc3AccurateMatchesC(t *testing.T) {
	// Where C's closed form is accurate (|x| ≥ 0.5) the series must agree.
	for x := 0.5; x < 1.5; x += 0.03125 {
		if got, want := sinc3Accurate(x), Sinc3(x); !closeTo(got, want, 1e-14, 0) {
			t.Errorf("sinc3Accurate(%v) = %.17g, Sinc3 %.17g", x, got, want)
		}
	}
}

func TestSinc3DxFD(t *testing.T) {
	// C's sinc3 cancels for small x (relative error ~1e-16/x²), so the
	// finite difference starts at |x| = 0.1; below that the Taylor test
	// applies.
	var r rng = 5
	for i := 0; i < 300; i++ {
		x := r.uniform(0.1, 25)
		if i%2 == 1 {
			x = -x
		}
		if i%10 == 0 {
			x = math.Copysign(r.uniform(1.49, 1.51), x) // around the switch
		}
		checkFD(t, fmt.Sprintf("Sinc3Dx(%v)", x), Sinc3Dx(x), Sinc3, x, 1e-3, 1e-8, 1e-11)
		if got, want := Sinc3DxOverX(x), Sinc3Dx(x)/x; !closeTo(got, want, 1e-14, 0) {
			t.Errorf("Sinc3DxOverX(%v) = %v, Sinc3Dx/x = %v", x, got, want)
		}
	}
}
