package gradcheck_test

import (
	"testing"
)

func TestTriesDebug(t *testing.T) {
	for _, water := range []bool{true, false} {
		args := append(baseArgs, "-round_xtal", "-fudge", "1.3")
		p := prepare(t, "c-parity", args, false)
		p.FreezeCarryOver()
		if !water {
			p.Exp.Params.Set("water", 0)
		}
		_, g, _, _ := p.Gradient()
		name := "cell_c"
		v, _ := p.Exp.Params.Get(name)
		L := func(x float64) float64 {
			p.Exp.Params.Set(name, x)
			l, _ := p.Loss()
			p.Exp.Params.Set(name, v)
			return l
		}
		t.Logf("water %v analytic %.10e", water, g[name])
		for _, h := range []float64{0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4} {
			d2 := (L(v+h) - L(v-h)) / (2 * h)
			d4 := (-L(v+2*h) + 8*L(v+h) - 8*L(v-h) + L(v-2*h)) / (12 * h)
			t.Logf("  h %.0e d2 %.10e (%.1e)  d4 %.10e (%.1e)", h, d2, d2/g[name]-1, d4, d4/g[name]-1)
		}
	}
}
