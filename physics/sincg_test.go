package physics

import (
	"fmt"
	"math"
	"testing"

	"gobragg/internal/libm"
)

// dirichlet returns g(u) = sin(n·u)/sin(u) and g'(u) for integer n ≥ 1 from
// the finite sums g = Σ cos(m·u), g' = −Σ m·sin(m·u), m = n−1, n−3, …, 1−n.
// For |n·u| < π every term of g' has the same sign, so the sum is accurate
// to a few ulps however small u is: an independent reference for SincgDx.
func dirichlet(u float64, n int) (g, dg float64) {
	for j := 0; j < n; j++ {
		m := float64(n - 1 - 2*j)
		g += math.Cos(m * u)
		dg -= m * math.Sin(m*u)
	}
	return g, dg
}

// refPiA, refPiB and refPiC split π (Cody–Waite), derived here from
// math.Pi by masking: refPiA and refPiB have 26 significant bits, so k·refPiA
// and k·refPiB are exact for |k| < 2^27.
var refPiA, refPiB, refPiC = func() (a, b, c float64) {
	const mask = ^uint64(1<<27 - 1)
	a = math.Float64frombits(math.Float64bits(math.Pi) & mask)
	b = math.Float64frombits(math.Float64bits(math.Pi-a) & mask)
	c = (math.Pi - a - b) + 1.2246467991473532e-16
	return
}()

// peakOffset returns u = x − kπ computed independently of reducePi, and the
// parity of k.
func peakOffset(x float64) (u float64, kOdd bool) {
	k := math.Round(x / math.Pi)
	u = ((x - k*refPiA) - k*refPiB) - k*refPiC
	return u, math.Mod(k, 2) != 0
}

func TestPiSplitConstants(t *testing.T) {
	if piA != refPiA || piB != refPiB || piC != refPiC {
		t.Errorf("π split (%v, %v, %v), derived from math.Pi (%v, %v, %v)", piA, piB, piC, refPiA, refPiB, refPiC)
	}
}

func TestSincgDxAgainstDirichletSum(t *testing.T) {
	ns := []int{2, 3, 5, 10, 17, 36, 47, 100}
	offsets := []float64{0, 1e-14, 3e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 0.003, 0.009, 0.01, 0.03, 0.1, 0.159, 0.16, 0.3, 0.49, 0.5}
	for _, n := range ns {
		for _, k := range []int{0, 1, -2, 7, 29} {
			for _, off := range offsets {
				for _, sgn := range []float64{1, -1} {
					h := float64(k) + sgn*off
					x := math.Pi * h
					if x == 0 {
						continue
					}
					u, kOdd := peakOffset(x)
					if math.Abs(float64(n)*u) >= math.Pi {
						continue // terms of the reference change sign: not a clean reference
					}
					_, dg := dirichlet(u, n)
					if kOdd && (n-1)%2 == 1 {
						dg = -dg
					}
					got := SincgDx(x, float64(n))
					if !closeTo(got, dg, 1e-12, 1e-300) {
						t.Errorf("SincgDx(π·%v, %d): got %.17g, Dirichlet sum %.17g", h, n, got, dg)
					}
				}
			}
		}
	}
}

func TestSincgValueAgainstDirichletSum(t *testing.T) {
	// Away from the peaks C's quotient is accurate; check it against the sum.
	var r rng = 3
	for i := 0; i < 500; i++ {
		n := r.intn(2, 60)
		h := r.uniform(-20, 20)
		x := math.Pi * h
		u, kOdd := peakOffset(x)
		if math.Abs(u) < 1e-3 {
			continue
		}
		g, _ := dirichlet(u, n)
		if kOdd && (n-1)%2 == 1 {
			g = -g
		}
		// C's quotient carries ~1e-16·|x·n| absolute error in sin(x·n).
		tol := 4e-16 * (math.Abs(x)*float64(n) + 1) / math.Abs(math.Sin(x))
		if got := Sincg(x, float64(n)); math.Abs(got-g) > tol+1e-14*float64(n) {
			t.Errorf("Sincg(π·%v, %d) = %.17g, Dirichlet sum %.17g", h, n, got, g)
		}
	}
}

func TestSincgSpecialValues(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"Sincg(0, 5)", Sincg(0, 5), 5},
		{"Sincg(0, 5.5)", Sincg(0, 5.5), 5.5},
		{"SincgDx(0, 5)", SincgDx(0, 5), 0},
		{"SincgDx(0, 5.5)", SincgDx(0, 5.5), 0},
		{"SincgDN(0, 5)", SincgDN(0, 5), 1},
		// C's (glibc's) sin(fl(π)) is the correctly rounded π − fl(π).
		{"Sincg(π/2, 2)", Sincg(math.Pi/2, 2), libm.Sin(math.Pi) / libm.Sin(math.Pi/2)},
		{"Sincg(x, 1)", Sincg(0.7, 1), 1},
		{"SincgDN at the k=1 peak, n=5 (σ=+1)", SincgDN(math.Pi, 5), 1},
		{"SincgDN at the k=1 peak, n=4 (σ=−1)", SincgDN(math.Pi, 4), -1},
	}
	for _, tc := range tests {
		if !closeTo(tc.got, tc.want, 1e-15, 1e-300) {
			t.Errorf("%s = %.17g, want %.17g", tc.name, tc.got, tc.want)
		}
	}
}

func TestSincgContinuousN(t *testing.T) {
	// Just off an integer n the extension must continue the exact function
	// smoothly (no pole at the peaks): Sincg(x, n±ε) = g + ε·SincgDN, with
	// g = σ·sin(n·u)/sin(u) the exact value at integer n. C's quotient at
	// integer n agrees with g only to its own rounding, which near a peak is
	// about 1e-16·|x·n|/|sin(x)| (1e-9 relative at h = 2 − 1e-7, n = 47).
	for _, n := range []float64{2, 5, 10, 47} {
		for _, h := range []float64{1.3, 1.0001, 2 - 1e-7, -3.02, 0.25, 7.5, 29} {
			x := math.Pi * h
			u, kOdd := peakOffset(x)
			g := n
			if u != 0 {
				g = math.Sin(n*u) / math.Sin(u)
			}
			if kOdd && math.Mod(n-1, 2) != 0 {
				g = -g
			}
			cTol := 4e-16*(math.Abs(x*n)+1)/math.Abs(math.Sin(x)) + 1e-15*n
			if c := Sincg(x, n); math.Abs(c-g) > cTol {
				t.Errorf("Sincg(π·%v, %v) = %.17g, exact %.17g (C rounding bound %.3g)", h, n, c, g, cTol)
			}
			for _, eps := range []float64{1e-7, -1e-7} {
				e := Sincg(x, n+eps)
				lin := g + eps*SincgDN(x, n)
				if math.Abs(e-lin) > 1e-12*n+eps*eps*n*n*n {
					t.Errorf("Sincg(π·%v, %v%+g) = %.17g, exact + ε·dN = %.17g", h, n, eps, e, lin)
				}
			}
		}
	}
}

func TestSincgDerivativesFD(t *testing.T) {
	var r rng = 11
	for i := 0; i < 400; i++ {
		var n float64
		if i%2 == 0 {
			n = float64(r.intn(2, 50))
		} else {
			n = r.uniform(1.05, 50) // continuous N
		}
		var h float64
		switch i % 4 {
		case 0:
			h = r.uniform(-25, 25)
		case 1: // near a Bragg peak
			h = float64(r.intn(-10, 10)) + math.Copysign(math.Pow(10, r.uniform(-2, -0.5)), r.uniform(-1, 1))
		case 2: // near the origin
			h = r.uniform(-0.3, 0.3)
		default: // near |n·u| = 1, where SincgDx switches form
			h = float64(r.intn(-5, 5)) + (1+r.uniform(-1e-3, 1e-3))/(math.Pi*n)
		}
		x := math.Pi * h
		if u, _ := peakOffset(x); math.Abs(u) < 1e-2 && n == math.Trunc(n) {
			// C's quotient is too noisy for a finite difference this close
			// to a peak (TestSincgDxAgainstDirichletSum covers it).
			continue
		}
		name := fmt.Sprintf("case %d: n=%v h=%v", i, n, h)
		scale := n * n * n
		step := 1e-4 / n
		checkFD(t, name+" SincgDx", SincgDx(x, n), func(v float64) float64 { return Sincg(v, n) }, x, step, 1e-7, 1e-9*scale)
		// For integer n the N stencil samples the continuous extension on
		// both sides.
		checkFD(t, name+" SincgDN", SincgDN(x, n), func(v float64) float64 { return Sincg(x, v) }, n, 1e-4, 1e-7, 1e-9*scale)
	}
}

func TestSincgDxSeriesMatchesQuotient(t *testing.T) {
	// Where both forms are accurate (|n·u| near 1) they must agree.
	for _, n := range []float64{2, 3.5, 5, 17, 100} {
		for _, nu := range []float64{0.6, 0.9, 0.999, 1} {
			u := nu / n
			if u > 0.5 {
				continue
			}
			s, c := math.Sincos(u)
			sn, cn := math.Sincos(n * u)
			quot := (n*cn*s - sn*c) / (s * s)
			if ser := dirichletDu(u, n); !closeTo(ser, quot, 1e-12, 0) {
				t.Errorf("n=%v u=%v: series %.17g, quotient %.17g", n, u, ser, quot)
			}
		}
	}
}

func ExampleSincg() {
	// F_latt along a for a crystal 5 cells wide: N at the Bragg peak h = 0,
	// falling to 0 at h = 1/5.
	for _, h := range []float64{0, 0.1, 0.2, 0.5} {
		fmt.Printf("h=%.1f  F=%.6f  dF/dh=%.6f\n", h, Sincg(math.Pi*h, 5), math.Pi*SincgDx(math.Pi*h, 5))
	}
	// Output:
	// h=0.0  F=5.000000  dF/dh=0.000000
	// h=0.1  F=3.236068  dF/dh=-31.288985
	// h=0.2  F=0.000000  dF/dh=-26.723983
	// h=0.5  F=1.000000  dF/dh=0.000000
}

func TestSincgGradMatchesParts(t *testing.T) {
	var r rng = 77
	for i := 0; i < 200; i++ {
		x, n := math.Pi*r.uniform(-20, 20), float64(r.intn(2, 40))
		if i%3 == 0 {
			n = r.uniform(1.1, 40)
		}
		if i%7 == 0 {
			x = 0
		}
		f, dx, dn := SincgGrad(x, n)
		if math.Float64bits(f) != math.Float64bits(Sincg(x, n)) || dx != SincgDx(x, n) || dn != SincgDN(x, n) {
			t.Errorf("SincgGrad(%v, %v) = (%v, %v, %v), parts (%v, %v, %v)", x, n, f, dx, dn, Sincg(x, n), SincgDx(x, n), SincgDN(x, n))
		}
	}
}
