package dual

import (
	"math"
	"testing"

	"gobragg/internal/libm"
)

// TestSinCosAtan2 checks that the values are the correctly rounded ones
// (libm.Sin etc., tested against 500-bit references in internal/libm) and
// the partials against finite differences.
func TestSinCosAtan2(t *testing.T) {
	for _, x := range []float64{-2.5, -0.3, 0, 0x1.921fb54442d18p+0, 1.1, 3} {
		if got, want := Sin(C(x)).V, libm.Sin(x); got != want {
			t.Errorf("Sin(%v) = %v, want %v", x, got, want)
		}
		if got, want := Cos(C(x)).V, libm.Cos(x); got != want {
			t.Errorf("Cos(%v) = %v, want %v", x, got, want)
		}
		fdCheck(t, "Sin/Cos", []float64{x}, func(in []Num) []Num { return []Num{Sin(in[0]), Cos(in[0])} })
	}
	// glibc: cos(pi/2 rounded) = 0x1.1a62633145c07p-54; math.Cos loses its last bits
	if got := Cos(C(0x1.921fb54442d18p+0)).V; got != 0x1.1a62633145c07p-54 {
		t.Errorf("Cos(pi/2) = %x, glibc gives 0x1.1a62633145c07p-54", got)
	}
	for _, yx := range [][2]float64{{1, 2}, {-0.4, 0.3}, {0.7, -1.1}, {1, 6.123233995736766e-17}} {
		if got, want := Atan2(C(yx[0]), C(yx[1])).V, libm.Atan2(yx[0], yx[1]); got != want {
			t.Errorf("Atan2(%v, %v) = %v, want %v", yx[0], yx[1], got, want)
		}
		fdCheck(t, "Atan2", yx[:], func(in []Num) []Num { return []Num{Atan2(in[0], in[1])} })
	}
}

// TestApply2 checks that Apply2 gives a float64 formula's partials for
// seeded inputs: f(x, y) = x y^2 against the same product in Num.
func TestApply2(t *testing.T) {
	x, y := Var(1.5, 0, 3), Add(Var(-0.7, 1, 3), Var(0.2, 2, 3))
	f := func(x, y float64) (v, fx, fy float64) { return x * y * y, y * y, 2 * x * y }
	v, fx, fy := f(x.V, y.V)
	got, want := Apply2(v, fx, fy, x, y), Mul(Mul(x, y), y)
	for i := 0; i < 3; i++ {
		if g, w := got.Grad(i), want.Grad(i); math.Abs(g-w) > 1e-15 {
			t.Errorf("partial %d: Apply2 %v, Num arithmetic %v", i, g, w)
		}
	}
	if c := Apply2(1, 2, 3, C(0), C(0)); c.D != nil {
		t.Errorf("Apply2 of constants has partials %v", c.D)
	}
}
