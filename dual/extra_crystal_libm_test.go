package dual

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const crBigPrec = 500

// crBigSinCos returns sin(x) and cos(x) by their Taylor series in 500-bit
// arithmetic (no argument reduction: meant for |x| <= 100).
func crBigSinCos(x float64) (s, c *big.Float) {
	bx := new(big.Float).SetPrec(crBigPrec).SetFloat64(x)
	x2 := new(big.Float).SetPrec(crBigPrec).Mul(bx, bx)
	s = new(big.Float).SetPrec(crBigPrec).Set(bx)
	c = new(big.Float).SetPrec(crBigPrec).SetFloat64(1)
	ts := new(big.Float).SetPrec(crBigPrec).Set(bx) // x^(2k+1)/(2k+1)!
	tc := new(big.Float).SetPrec(crBigPrec).SetFloat64(1)
	tiny := new(big.Float).SetMantExp(big.NewFloat(1), -400)
	for k := 1; ; k++ {
		ts.Mul(ts, x2)
		ts.Quo(ts, new(big.Float).SetInt64(int64((2*k)*(2*k+1))))
		ts.Neg(ts)
		tc.Mul(tc, x2)
		tc.Quo(tc, new(big.Float).SetInt64(int64((2*k-1)*(2*k))))
		tc.Neg(tc)
		s.Add(s, ts)
		c.Add(c, tc)
		if new(big.Float).Abs(ts).Cmp(tiny) < 0 && new(big.Float).Abs(tc).Cmp(tiny) < 0 {
			return s, c
		}
	}
}

// crBigAtan2 refines t0 = math.Atan2(y, x) by one Newton step of the
// tangent in 500-bit arithmetic: t0 + (y cos t0 - x sin t0)/(x cos t0 +
// y sin t0) = t0 + tan(d) for the remaining angle d (about 1e-16), which
// leaves an error of d^3/3, far below a float64 ulp.
func crBigAtan2(y, x float64) *big.Float {
	t0 := math.Atan2(y, x)
	s, c := crBigSinCos(t0)
	by := new(big.Float).SetPrec(crBigPrec).SetFloat64(y)
	bx := new(big.Float).SetPrec(crBigPrec).SetFloat64(x)
	mul := func(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(crBigPrec).Mul(a, b) }
	num := new(big.Float).SetPrec(crBigPrec).Sub(mul(by, c), mul(bx, s))
	den := new(big.Float).SetPrec(crBigPrec).Add(mul(bx, c), mul(by, s))
	d := new(big.Float).SetPrec(crBigPrec).Quo(num, den)
	return d.Add(d, new(big.Float).SetFloat64(t0))
}

func crNearest(b *big.Float) float64 { f, _ := b.Float64(); return f }

// crSin and crCos must return the float64 crNearest the exact value (which
// glibc's sin and cos return except in rare near-halfway cases).
func TestCrSinCos(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 600; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = math.Pi * (2*rng.Float64() - 1)
		case 1:
			x = 90 * rng.Float64()
		default:
			x = 1e-3 * (2*rng.Float64() - 1)
		}
		s, c := crBigSinCos(x)
		if got, want := crSin(x), crNearest(s); got != want {
			t.Errorf("crSin(%x) = %x, correctly rounded %x", x, got, want)
		}
		if got, want := crCos(x), crNearest(c); got != want {
			t.Errorf("crCos(%x) = %x, correctly rounded %x", x, got, want)
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), math.Inf(1), math.NaN(), 1e300} {
		if s, w := crSin(x), math.Sin(x); math.Float64bits(s) != math.Float64bits(w) && !(math.IsNaN(s) && math.IsNaN(w)) {
			t.Errorf("crSin(%v) = %v, want %v", x, s, w)
		}
	}
}

func TestCrAtan2(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		y, x := 2*rng.Float64()-1, 2*rng.Float64()-1
		if i%5 == 0 {
			x *= 1e-4
		}
		if got, want := crAtan2(y, x), crNearest(crBigAtan2(y, x)); got != want {
			t.Errorf("crAtan2(%x, %x) = %x, correctly rounded %x", y, x, got, want)
		}
	}
	for _, c := range [][2]float64{{0, 1}, {0, -1}, {1, 0}, {math.Copysign(0, -1), -1}, {math.Inf(1), 1}} {
		if got, want := crAtan2(c[0], c[1]), math.Atan2(c[0], c[1]); got != want {
			t.Errorf("crAtan2(%v, %v) = %v, want %v", c[0], c[1], got, want)
		}
	}
}
