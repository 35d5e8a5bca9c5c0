package physics

import (
	"math"
	"testing"

	"gobragg/internal/libm"
)

// ulps returns |got − want| in units of want's last place.
func ulps(got, want float64) float64 {
	return math.Abs(got-want) / math.Abs(math.Nextafter(want, math.Inf(1))-want)
}

// TestSinPiReducedAgainstCorrectRounding: over nanoBragg's arguments π·h and
// π·h·N the branch-free sine stays within 2 ulps of the correctly rounded
// sine (glibc's, to 1 call in 1000), including at h next to and at integers,
// where the result is tiny and math.Sin loses relative accuracy. There the
// rounding of k·piC adds up to about |k|·2^-105 absolute.
func TestSinPiReducedAgainstCorrectRounding(t *testing.T) {
	var r rng = 7
	const maxUlps = 2 // the polynomial's bound measured when it was fitted
	check := func(x float64) {
		got, want := sinPiReduced(x), libm.Sin(x)
		kErr := 4 * math.Abs(x/math.Pi) * 0x1p-105
		if ulps(got, want) > maxUlps && math.Abs(got-want) > kErr {
			t.Errorf("sin(%.17g) = %.17g, correctly rounded %.17g (%.1f ulps)", x, got, want, ulps(got, want))
		}
	}
	for i := 0; i < 200000; i++ {
		h := r.uniform(-200, 200)
		check(math.Pi * h)
		check(math.Pi * h * 47)
	}
	for k := -300; k <= 300; k++ {
		for _, off := range []float64{0, 1e-15, 1e-9, 1e-4, 0.5} {
			check(math.Pi * (float64(k) + off))
			check(math.Pi * float64(k) * (1 + off))
		}
	}
}

func TestCosHalfPi(t *testing.T) {
	const absTol = 2e-16 // the polynomial's bound measured when it was fitted
	for u := -math.Pi / 2; u <= math.Pi/2; u += 1e-4 {
		if got, want := cosHalfPi(u), libm.Cos(u); math.Abs(got-want) > absTol {
			t.Errorf("cos(%v) = %.17g, want %.17g", u, got, want)
		}
	}
}

// TestDirichletDeltaMatchesSincg: the fractional-part form equals C's
// quotient up to sign, to the quotient's own rounding (see Sincg: about
// 1e-16·|x·n|/|n·sin(x)|, so the test stays 1e-4 away from the nodes).
func TestDirichletDeltaMatchesSincg(t *testing.T) {
	var r rng = 11
	for _, n := range []float64{2, 3, 10, 29, 36, 47} {
		for i := 0; i < 20000; i++ {
			h := r.uniform(-100, 100)
			d := h - math.RoundToEven(h)
			if math.Abs(d) < 1e-4 {
				continue
			}
			num, den := DirichletDelta(d, n)
			got, want := math.Abs(num/den), math.Abs(Sincg(math.Pi*h, n))
			tol := 1e-15 * math.Abs(math.Pi*h*n) / math.Abs(math.Sin(math.Pi*d)) * n
			if math.Abs(got-want) > tol+1e-14*want {
				t.Errorf("n %v h %.17g: |num/den| %.17g, |Sincg| %.17g", n, h, got, want)
			}
		}
		if num, den := DirichletDelta(0, n); num/den != n {
			t.Errorf("n %v at a node: %v/%v, want n", n, num, den)
		}
	}
}

// TestSincgDeltaAgainstSincg: the signed delta form and its derivatives
// agree with Sincg, SincgDx and SincgDN (which reduce π·h directly) away
// from the nodes, where both are accurate.
func TestSincgDeltaAgainstSincg(t *testing.T) {
	var r rng = 5
	const tol = 1e-9 // relative; the quotients lose ~1e-16·n/|sin(πd)| next to nodes
	for _, n := range []float64{2, 3, 10, 29, 47} {
		for i := 0; i < 5000; i++ {
			h := r.uniform(-60, 60)
			if i%10 == 0 {
				h = math.Round(h) + r.uniform(-1e-3, 1e-3)
			}
			x := math.Pi * h
			f, dh, dn := SincgDeltaGrad(h, n)
			if v := SincgDelta(h, n); !closeTo(v, f, 1e-14, 1e-14) {
				t.Errorf("n %v h %v: SincgDelta %.17g, SincgDeltaGrad %.17g", n, h, v, f)
			}
			want := [3]float64{Sincg(x, n), math.Pi * SincgDx(x, n), SincgDN(x, n)}
			for j, got := range [3]float64{f, dh, dn} {
				if !closeTo(got, want[j], tol, tol*n*n) {
					t.Errorf("n %v h %v: part %d = %.17g, want %.17g", n, h, j, got, want[j])
				}
			}
		}
	}
}
