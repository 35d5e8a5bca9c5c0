package libm

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

const bigPrec = 500

// bigSinCos returns sin(x) and cos(x) by their Taylor series in 500-bit
// arithmetic (no argument reduction: meant for |x| <= 100).
func bigSinCos(x float64) (s, c *big.Float) {
	bx := new(big.Float).SetPrec(bigPrec).SetFloat64(x)
	x2 := new(big.Float).SetPrec(bigPrec).Mul(bx, bx)
	s = new(big.Float).SetPrec(bigPrec).Set(bx)
	c = new(big.Float).SetPrec(bigPrec).SetFloat64(1)
	ts := new(big.Float).SetPrec(bigPrec).Set(bx) // x^(2k+1)/(2k+1)!
	tc := new(big.Float).SetPrec(bigPrec).SetFloat64(1)
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

// bigAtan2 refines t0 = math.Atan2(y, x) by one Newton step of the
// tangent in 500-bit arithmetic: t0 + (y cos t0 - x sin t0)/(x cos t0 +
// y sin t0) = t0 + tan(d) for the remaining angle d (about 1e-16), which
// leaves an error of d^3/3, far below a float64 ulp.
func bigAtan2(y, x float64) *big.Float {
	t0 := math.Atan2(y, x)
	s, c := bigSinCos(t0)
	by := new(big.Float).SetPrec(bigPrec).SetFloat64(y)
	bx := new(big.Float).SetPrec(bigPrec).SetFloat64(x)
	mul := func(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(bigPrec).Mul(a, b) }
	num := new(big.Float).SetPrec(bigPrec).Sub(mul(by, c), mul(bx, s))
	den := new(big.Float).SetPrec(bigPrec).Add(mul(bx, c), mul(by, s))
	d := new(big.Float).SetPrec(bigPrec).Quo(num, den)
	return d.Add(d, new(big.Float).SetFloat64(t0))
}

func nearest(b *big.Float) float64 { f, _ := b.Float64(); return f }

// sameBits reports whether a and b are the same float64 (any NaN matches
// any NaN).
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// Sin and Cos must return the float64 nearest the exact value (which
// glibc's sin and cos return except in rare near-halfway cases).
func TestSinCosCorrectlyRounded(t *testing.T) {
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
		s, c := bigSinCos(x)
		if got, want := Sin(x), nearest(s); got != want {
			t.Errorf("Sin(%x) = %x, correctly rounded %x", x, got, want)
		}
		if got, want := Cos(x), nearest(c); got != want {
			t.Errorf("Cos(%x) = %x, correctly rounded %x", x, got, want)
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), math.Inf(1), math.NaN(), 1e300} {
		if s, w := Sin(x), math.Sin(x); !sameBits(s, w) {
			t.Errorf("Sin(%v) = %v, want %v", x, s, w)
		}
		if c, w := Cos(x), math.Cos(x); !sameBits(c, w) {
			t.Errorf("Cos(%v) = %v, want %v", x, c, w)
		}
	}
}

// TestSincos checks that Sincos returns Sin and Cos to the bit, special
// values included.
func TestSincos(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	xs := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, 0x1.921fb54442d18p+0, ddMaxArg, -ddMaxArg * 2}
	for range 200 {
		xs = append(xs, 20*(2*rng.Float64()-1))
	}
	for _, x := range xs {
		s, c := Sincos(x)
		if !sameBits(s, Sin(x)) || !sameBits(c, Cos(x)) {
			t.Errorf("Sincos(%x) = %x, %x; Sin, Cos give %x, %x", x, s, c, Sin(x), Cos(x))
		}
	}
	// glibc: cos(pi/2 rounded) = 0x1.1a62633145c07p-54; math.Cos loses its last bits
	if got := Cos(0x1.921fb54442d18p+0); got != 0x1.1a62633145c07p-54 {
		t.Errorf("Cos(pi/2) = %x, glibc gives 0x1.1a62633145c07p-54", got)
	}
}

func TestAtan2CorrectlyRounded(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		y, x := 2*rng.Float64()-1, 2*rng.Float64()-1
		if i%5 == 0 {
			x *= 1e-4
		}
		if got, want := Atan2(y, x), nearest(bigAtan2(y, x)); got != want {
			t.Errorf("Atan2(%x, %x) = %x, correctly rounded %x", y, x, got, want)
		}
	}
	for _, c := range [][2]float64{{0, 1}, {0, -1}, {1, 0}, {math.Copysign(0, -1), -1}, {math.Inf(1), 1}} {
		if got, want := Atan2(c[0], c[1]), math.Atan2(c[0], c[1]); got != want {
			t.Errorf("Atan2(%v, %v) = %v, want %v", c[0], c[1], got, want)
		}
	}
}
