package physics

import (
	"math"
	"testing"
)

// waterCases are nanoBragg's I_bg line evaluated by C (gcc -O2, its
// globals r_e_sqr, Avogadro, water_F and water_MW) as hex floats: the
// default fluence with -water 0.5 and other points.
var waterCases = []struct {
	name                string
	fluence, water, ibg float64
}{
	{"default fluence, 0.5 um", 0x1.0aac129f95de6p+80, 0x1.0c6f7a0b5ed8dp-21, 0x1.0dbf2175905d6p+18},
	{"1e24, 1 um", 0x1.a784379d99db4p+79, 0x1.0c6f7a0b5ed8dp-20, 0x1.ac662fc0c7bc4p+20},
	{"3.7e22, 100 um", 0x1.f5718987664b4p+74, 0x1.a36e2eb1c432dp-14, 0x1.e3ba224b9d882p+35},
	{"no fluence", 0, 0x1.0c6f7a0b5ed8dp-21, 0},
	{"8.5e25, 0.33 um", 0x1.193dcceea82bap+86, 0x1.6255b5942109cp-22, 0x1.4726df2a2d31fp+22},
	{"no water", 1e24, 0, 0},
}

func TestWaterBackground(t *testing.T) {
	for _, c := range waterCases {
		got := WaterBackground(c.fluence, c.water)
		if math.Float64bits(got) != math.Float64bits(c.ibg) {
			t.Errorf("%s: WaterBackground(%g, %g) = %x, C gives %x", c.name, c.fluence, c.water, got, c.ibg)
		}
		v, _, _ := WaterBackgroundGrad(c.fluence, c.water)
		if math.Float64bits(v) != math.Float64bits(got) {
			t.Errorf("%s: WaterBackgroundGrad's value %x, WaterBackground's %x", c.name, v, got)
		}
	}
}

func TestWaterBackgroundGrad(t *testing.T) {
	// I_bg is linear in the fluence and cubic in the water thickness, so
	// the five-point difference has no truncation error: what is left is
	// rounding, about 1e-16 relative over a step of 1e-3 of the point.
	const rtol = 1e-10
	for _, c := range waterCases {
		_, dF, dW := WaterBackgroundGrad(c.fluence, c.water)
		hF := 1e-3 * math.Max(c.fluence, 1e22)
		hW := 1e-3 * math.Max(c.water, 1e-7)
		// At water 0 the difference is exactly 0: the stencil is odd
		// and I_bg(-w) = -I_bg(w) in float64 too.
		checkFD(t, c.name+": d/dfluence", dF, func(f float64) float64 { return WaterBackground(f, c.water) }, c.fluence, hF, rtol, 0)
		checkFD(t, c.name+": d/dwater", dW, func(w float64) float64 { return WaterBackground(c.fluence, w) }, c.water, hW, rtol, 0)
	}
}
