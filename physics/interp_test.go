package physics

import (
	"fmt"
	"math"
	"testing"
)

// interpCase returns integer nodes around (h, k, l) as nanoBragg builds
// them (floor−1 … floor+2) and random structure factors.
func interpCase(r *rng) (ha, ka, la [4]float64, f [4][4][4]float64, h, k, l float64) {
	h, k, l = r.uniform(-10, 10), r.uniform(-10, 10), r.uniform(-10, 10)
	for j := range 4 {
		ha[j] = math.Floor(h) - 1 + float64(j)
		ka[j] = math.Floor(k) - 1 + float64(j)
		la[j] = math.Floor(l) - 1 + float64(j)
	}
	for i := range 4 {
		for j := range 4 {
			for m := range 4 {
				f[i][j][m] = r.uniform(0, 300)
			}
		}
	}
	return
}

func TestPolintReproducesCubics(t *testing.T) {
	// A cubic through four points is reproduced exactly (to rounding).
	p := func(x float64) float64 { return 2 - 3*x + 0.5*x*x - 0.25*x*x*x }
	xa := [4]float64{-1, 0, 1, 2}
	ya := [4]float64{p(-1), p(0), p(1), p(2)}
	for _, x := range []float64{-1, -0.3, 0, 0.5, 1.7, 2} {
		if got := Polint(xa, ya, x); !closeTo(got, p(x), 1e-14, 1e-14) {
			t.Errorf("Polint(%v) = %v, cubic %v", x, got, p(x))
		}
	}
	// C's four-term formula, term by term and left to right.
	x := 0.3
	x0 := (x - xa[1]) * (x - xa[2]) * (x - xa[3]) * ya[0] / ((xa[0] - xa[1]) * (xa[0] - xa[2]) * (xa[0] - xa[3]))
	x1 := (x - xa[0]) * (x - xa[2]) * (x - xa[3]) * ya[1] / ((xa[1] - xa[0]) * (xa[1] - xa[2]) * (xa[1] - xa[3]))
	x2 := (x - xa[0]) * (x - xa[1]) * (x - xa[3]) * ya[2] / ((xa[2] - xa[0]) * (xa[2] - xa[1]) * (xa[2] - xa[3]))
	x3 := (x - xa[0]) * (x - xa[1]) * (x - xa[2]) * ya[3] / ((xa[3] - xa[0]) * (xa[3] - xa[1]) * (xa[3] - xa[2]))
	if got, want := Polint(xa, ya, x), x0+x1+x2+x3; got != want {
		t.Errorf("Polint = %v, C formula %v", got, want)
	}
}

func TestPolin3Nesting(t *testing.T) {
	var r rng = 4
	ha, ka, la, f, h, k, l := interpCase(&r)
	var tmp [4]float64
	for i := range 4 {
		var row [4]float64
		for j := range 4 {
			row[j] = Polint(la, f[i][j], l)
		}
		tmp[i] = Polint(ka, row, k)
	}
	if got, want := Polin3(ha, ka, la, &f, h, k, l), Polint(ha, tmp, h); got != want {
		t.Errorf("Polin3 = %v, C nesting %v", got, want)
	}
	var g [4][4]float64 = f[2]
	if got, want := Polin2(ka, la, &g, k, l), tmp[2]; got != want {
		t.Errorf("Polin2 = %v, C nesting %v", got, want)
	}
}

func TestPolin3Grad(t *testing.T) {
	var r rng = 12
	for i := 0; i < 100; i++ {
		ha, ka, la, f, h, k, l := interpCase(&r)
		if i%10 == 0 { // on a node: weights must be one-hot in that index
			h = ha[1]
		}
		v, dh, dk, dl, dF := Polin3Grad(ha, ka, la, &f, h, k, l)
		if p := Polin3(ha, ka, la, &f, h, k, l); math.Float64bits(p) != math.Float64bits(v) {
			t.Errorf("case %d: Polin3Grad value %v != Polin3 %v", i, v, p)
		}
		// linear in f: value = Σ dF·f
		sum := 0.0
		for a := range 4 {
			for b := range 4 {
				for c := range 4 {
					sum += dF[a][b][c] * f[a][b][c]
				}
			}
		}
		if !closeTo(sum, v, 1e-12, 1e-10) {
			t.Errorf("case %d: Σ dF·f = %v, value %v", i, sum, v)
		}
		name := fmt.Sprintf("case %d (%v,%v,%v)", i, h, k, l)
		checkFD(t, name+" d/dh", dh, func(x float64) float64 { return Polin3(ha, ka, la, &f, x, k, l) }, h, 1e-4, 1e-7, 1e-8)
		checkFD(t, name+" d/dk", dk, func(x float64) float64 { return Polin3(ha, ka, la, &f, h, x, l) }, k, 1e-4, 1e-7, 1e-8)
		checkFD(t, name+" d/dl", dl, func(x float64) float64 { return Polin3(ha, ka, la, &f, h, k, x) }, l, 1e-4, 1e-7, 1e-8)
		// one weight against a finite difference in that structure factor
		a, b, c := r.intn(0, 3), r.intn(0, 3), r.intn(0, 3)
		checkFD(t, name+fmt.Sprintf(" d/dF[%d][%d][%d]", a, b, c), dF[a][b][c], func(x float64) float64 {
			g := f
			g[a][b][c] = x
			return Polin3(ha, ka, la, &g, h, k, l)
		}, f[a][b][c], 1e-2, 1e-8, 1e-10)
		if i%10 == 0 {
			for a := range 4 {
				for b := range 4 {
					for c := range 4 {
						if a != 1 && dF[a][b][c] != 0 {
							t.Errorf("case %d: h on node ha[1] but weight dF[%d][%d][%d] = %v", i, a, b, c, dF[a][b][c])
						}
					}
				}
			}
		}
	}
}
