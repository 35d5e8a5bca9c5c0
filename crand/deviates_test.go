package crand

import (
	"math"
	"testing"
)

// Poisson deviates of each branch of poidev have the right mean and
// variance, and are whole numbers below 1e6.
func TestPoidevMoments(t *testing.T) {
	for _, xm := range []float32{0, 0.3, 5, 11.9, 12, 40.5, 1000, 2e6} {
		g := New()
		seed := int64(-31)
		const n = 20000
		var s, s2 float64
		for i := 0; i < n; i++ {
			p := g.Poidev(xm, &seed)
			if xm <= 1e6 && (p != float32(math.Floor(float64(p))) || p < 0) {
				t.Fatalf("xm %v: deviate %v is not a whole number >= 0", xm, p)
			}
			s += float64(p)
			s2 += float64(p) * float64(p)
		}
		mean := s / n
		variance := s2/n - mean*mean
		sig := math.Sqrt(float64(xm) / n)
		if math.Abs(mean-float64(xm)) > 5*sig+1e-12 {
			t.Errorf("xm %v: mean %v, want within 5 sigma (%v)", xm, mean, 5*sig)
		}
		// variance of the sample variance of a Poisson ~ (xm + 2 xm^2)/n
		vs := math.Sqrt((float64(xm) + 2*float64(xm)*float64(xm)) / n)
		if math.Abs(variance-float64(xm)) > 5*vs+1e-12 {
			t.Errorf("xm %v: variance %v, want within 5 sigma (%v)", xm, variance, 5*vs)
		}
	}
}

// Gaussdev returns deviates in pairs: the second of a pair draws nothing.
func TestGaussdevPairs(t *testing.T) {
	g := New()
	seed := int64(-8)
	var s, s2 float64
	const n = 20000
	for i := 0; i < n; i += 2 {
		g.Gaussdev(&seed)
		before := seed
		x := g.Gaussdev(&seed)
		if seed != before {
			t.Fatalf("pair %d: the spare deviate advanced the seed", i/2)
		}
		s += float64(x)
		s2 += float64(x) * float64(x)
	}
	mean, rms := s/(n/2), math.Sqrt(s2/(n/2))
	if math.Abs(mean) > 5/math.Sqrt(n/2) || math.Abs(rms-1) > 5/math.Sqrt(n) {
		t.Errorf("spare deviates: mean %v rms %v, want 0 and 1", mean, rms)
	}
}

func TestGammln(t *testing.T) {
	for _, x := range []float32{0.5, 1, 2, 3.5, 12, 13, 100.25, 1e4, 1e6} {
		want, _ := math.Lgamma(float64(x))
		got := float64(Gammln(x))
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("Gammln(%v) = %v, ln Gamma = %v", x, got, want)
		}
	}
}
