package libm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps32 returns the distance in float32 units in the last place.
func ulps32(a, b float32) int64 {
	d := int64(math.Float32bits(a)) - int64(math.Float32bits(b))
	if d < 0 {
		d = -d
	}
	return d
}

// Powf is within 0.82 float32 ulp of the exact power (glibc's bound), so
// it differs from the correctly rounded result by at most one ulp. The
// bases are uniform on (0, 1), as nanoBragg's ran1 deviates.
func TestPowfAccuracy(t *testing.T) {
	third := float32(1.0 / 3.0)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 20000; i++ {
		x := rng.Float32()
		for _, y := range []float32{third, 2.5, -0.75} {
			got := Powf(x, y)
			want := float32(math.Pow(float64(x), float64(y)))
			if ulps32(got, want) > 1 {
				t.Fatalf("Powf(%v, %v) = %v, math.Pow gives %v", x, y, got, want)
			}
		}
	}
	for _, c := range [][3]float32{{1, third, 1}, {8, third, 2}, {0, third, 0}, {4, 0.5, 2}} {
		if got := Powf(c[0], c[1]); got != c[2] {
			t.Errorf("Powf(%v, %v) = %v, want %v", c[0], c[1], got, c[2])
		}
	}
}

// glibcPowfThird lists inputs x where glibc 2.36's powf(x, 1/3f) (printed
// by a C program linked against it) is not the correctly rounded cube
// root; Powf must reproduce glibc, not the exact value.
var glibcPowfThird = [][2]float32{
	{0x1.baa602p-1, 0x1.e7c0aep-1},
	{0x1.92bd6ap-5, 0x1.77207cp-2},
	{0x1.db6084p-1, 0x1.f37d38p-1},
	{0x1.ef7f38p-1, 0x1.fa7054p-1},
}

func TestPowfMatchesGlibcNearHalfway(t *testing.T) {
	third := float32(1.0 / 3.0)
	for _, c := range glibcPowfThird {
		if got := Powf(c[0], third); got != c[1] {
			t.Errorf("Powf(%x, 1/3) = %x, glibc gives %x", c[0], got, c[1])
		}
		// and it is a real near-halfway case: the float64 power, far more
		// accurate than a float32 ulp, rounds the other way.
		if naive := float32(math.Pow(float64(c[0]), float64(third))); naive == c[1] {
			t.Errorf("Powf(%x, 1/3): float32(math.Pow) agrees with glibc, not a halfway case", c[0])
		}
	}
}
