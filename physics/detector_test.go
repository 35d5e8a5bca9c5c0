package physics

import (
	"fmt"
	"math"
	"testing"
)

func TestSolidAngleGrad(t *testing.T) {
	var r rng = 7
	for i := 0; i < 200; i++ {
		pix, air := r.uniform(5e-5, 2e-4), r.uniform(0.05, 0.5)
		closeD := air * r.uniform(0.3, 1)
		for _, point := range []bool{false, true} {
			om, da, dc, dp := SolidAngleGrad(pix, air, closeD, point)
			if v := SolidAngle(pix, air, closeD, point); math.Float64bits(v) != math.Float64bits(om) {
				t.Errorf("case %d point=%v: Grad value %v != SolidAngle %v", i, point, om, v)
			}
			name := fmt.Sprintf("case %d point=%v", i, point)
			// a difference of a constant is rounding noise ~ulp(omega)/step
			noise := func(step float64) float64 { return 1e-14 * om / step }
			checkFD(t, name+" d/dairpath", da, func(v float64) float64 { return SolidAngle(pix, v, closeD, point) }, air, 1e-5*air, 1e-8, noise(1e-5*air))
			checkFD(t, name+" d/dclose", dc, func(v float64) float64 { return SolidAngle(pix, air, v, point) }, closeD, 1e-5*closeD, 1e-8, noise(1e-5*closeD))
			checkFD(t, name+" d/dpixel", dp, func(v float64) float64 { return SolidAngle(v, air, closeD, point) }, pix, 1e-5*pix, 1e-8, noise(1e-5*pix))
		}
	}
	// C order: pixel*pixel/airpath/airpath*close/airpath
	p, a, c := 0.000172, 0.2534163341119614, 0.2312718261117810
	if got, want := SolidAngle(p, a, c, false), p*p/a/a*c/a; got != want {
		t.Errorf("SolidAngle = %v, C order gives %v", got, want)
	}
}

func TestCaptureFractionGrad(t *testing.T) {
	var r rng = 8
	for i := 0; i < 200; i++ {
		layer := r.intn(0, 9)
		step, mu, par := r.uniform(1e-5, 2e-4), r.uniform(100, 5000), r.uniform(0.3, 1)
		f, dpar, dstep, dmu := CaptureFractionGrad(layer, step, mu, par)
		if v := CaptureFraction(layer, step, mu, par); math.Float64bits(v) != math.Float64bits(f) {
			t.Errorf("case %d: Grad value %v != CaptureFraction %v", i, f, v)
		}
		name := fmt.Sprintf("case %d layer=%d", i, layer)
		checkFD(t, name+" d/dparallax", dpar, func(v float64) float64 { return CaptureFraction(layer, step, mu, v) }, par, 1e-5*par, 1e-7, 1e-12)
		checkFD(t, name+" d/dstep", dstep, func(v float64) float64 { return CaptureFraction(layer, v, mu, par) }, step, 1e-5*step, 1e-7, 1e-12/step)
		checkFD(t, name+" d/dmu", dmu, func(v float64) float64 { return CaptureFraction(layer, step, v, par) }, mu, 1e-5*mu, 1e-7, 1e-12/mu)
	}
	// The layers of a sensor add up to the total absorbed fraction.
	sum := 0.0
	for layer := 0; layer < 4; layer++ {
		sum += CaptureFraction(layer, 50e-6, 2000, 0.9)
	}
	if want := 1 - math.Exp(-200e-6*2000/0.9); !closeTo(sum, want, 1e-14, 0) {
		t.Errorf("sum over layers = %v, want 1-exp(-t·mu/parallax) = %v", sum, want)
	}
}
