package beam

import (
	"math"
	"testing"

	"gobragg/dual"
)

// TestFromGridBits checks the exact doubles of the divergence_round and
// divergence_square source positions and incident vectors (signed zeros
// included) against a C harness built from nanoBragg's rotate_axis and
// unitize (values recorded as IEEE bit patterns).
func TestFromGridBits(t *testing.T) {
	want := []struct {
		round    int
		pos, inc [3]uint64
	}{
		{1, [3]uint64{0xc023ffffd60e94fd, 0x0000000000000000, 0x3f747ae1395d0a92}, [3]uint64{0x3fefffffbce42195, 0x8000000000000000, 0xbf40624dc77da20e}},
		{1, [3]uint64{0xc023ffffd60e94fd, 0x3f747ae1395d0a92, 0x8000000000000000}, [3]uint64{0x3fefffffbce42195, 0xbf40624dc77da20e, 0x0000000000000000}},
		{1, [3]uint64{0xc024000000000000, 0x8000000000000000, 0x0000000000000000}, [3]uint64{0x3ff0000000000000, 0x0000000000000000, 0x8000000000000000}},
		{1, [3]uint64{0xc023ffffd60e94fd, 0xbf747ae1395d0a92, 0x0000000000000000}, [3]uint64{0x3fefffffbce42195, 0x3f40624dc77da20e, 0x8000000000000000}},
		{1, [3]uint64{0xc023ffffd60e94fd, 0x8000000000000000, 0xbf747ae1395d0a92}, [3]uint64{0x3fefffffbce42195, 0x0000000000000000, 0x3f40624dc77da20e}},
		{0, [3]uint64{0xc023ffffac1d2a52, 0x3f747ae1395d0a92, 0x3f747ae10e69ecfa}, [3]uint64{0x3fefffff79c843b6, 0xbf40624dc77da20e, 0xbf40624da5218a62}},
		{0, [3]uint64{0xc023ffffd60e94fd, 0x0000000000000000, 0x3f747ae1395d0a92}, [3]uint64{0x3fefffffbce42195, 0x8000000000000000, 0xbf40624dc77da20e}},
		{0, [3]uint64{0xc023ffffac1d2a52, 0xbf747ae1395d0a92, 0x3f747ae10e69ecfa}, [3]uint64{0x3fefffff79c843b6, 0x3f40624dc77da20e, 0xbf40624da5218a62}},
		{0, [3]uint64{0xc023ffffd60e94fd, 0x3f747ae1395d0a92, 0x8000000000000000}, [3]uint64{0x3fefffffbce42195, 0xbf40624dc77da20e, 0x0000000000000000}},
		{0, [3]uint64{0xc024000000000000, 0x8000000000000000, 0x0000000000000000}, [3]uint64{0x3ff0000000000000, 0x0000000000000000, 0x8000000000000000}},
		{0, [3]uint64{0xc023ffffd60e94fd, 0xbf747ae1395d0a92, 0x0000000000000000}, [3]uint64{0x3fefffffbce42195, 0x3f40624dc77da20e, 0x8000000000000000}},
		{0, [3]uint64{0xc023ffffac1d2a52, 0x3f747ae1395d0a92, 0xbf747ae10e69ecfa}, [3]uint64{0x3fefffff79c843b6, 0xbf40624dc77da20e, 0x3f40624da5218a62}},
		{0, [3]uint64{0xc023ffffd60e94fd, 0x8000000000000000, 0xbf747ae1395d0a92}, [3]uint64{0x3fefffffbce42195, 0x0000000000000000, 0x3f40624dc77da20e}},
		{0, [3]uint64{0xc023ffffac1d2a52, 0xbf747ae1395d0a92, 0xbf747ae10e69ecfa}, [3]uint64{0x3fefffff79c843b6, 0x3f40624dc77da20e, 0x3f40624da5218a62}},
	}
	for _, round := range []bool{true, false} {
		g := grid(0.001, -1, 3, 0.001, -1, 3, -1, -1, 0, round)
		src := FromGrid(g, mosflmBeam, mosflmPolar, mosflmVert, sourceDistanceM)
		var exp [][2][3]uint64
		for _, w := range want {
			if (w.round == 1) == round {
				exp = append(exp, [2][3]uint64{w.pos, w.inc})
			}
		}
		if len(src) != len(exp) {
			t.Fatalf("round=%v: %d sources, C made %d", round, len(src), len(exp))
		}
		for i, s := range src {
			for k := 0; k < 3; k++ {
				if b := math.Float64bits(s.Position[k]); b != exp[i][0][k] {
					t.Errorf("round=%v source %d position[%d] = %v (%#x), C %v (%#x)", round, i, k, s.Position[k], b, math.Float64frombits(exp[i][0][k]), exp[i][0][k])
				}
				if b := math.Float64bits(s.Incident[k]); b != exp[i][1][k] {
					t.Errorf("round=%v source %d incident[%d] = %v (%#x), C %v (%#x)", round, i, k, s.Incident[k], b, math.Float64frombits(exp[i][1][k]), exp[i][1][k])
				}
			}
			if s.Weight != 1/float64(len(exp)) {
				t.Errorf("round=%v source %d weight %v, want 1/%d", round, i, s.Weight, len(exp))
			}
		}
	}
}

// TestDispersionBits checks the five wavelengths of the dispersion case
// (-dispersion 4 -dispsteps 5) bit for bit against C, and the fluence of
// flux_exposure_beamsize.
func TestDispersionBits(t *testing.T) {
	want := []uint64{
		0x3ddaf0230dce4e6a,
		0x3ddb368173d30613,
		0x3ddb7cdfd9d7bdbb,
		0x3ddbc33e3fdc7563,
		0x3ddc099ca5e12d0c,
	}
	g := grid(-1, -1, 0, -1, -1, 0, 0.04, -1, 5, true)
	src := FromGrid(g, mosflmBeam, mosflmPolar, mosflmVert, sourceDistanceM)
	if len(src) != len(want) {
		t.Fatalf("%d sources, want %d", len(src), len(want))
	}
	for i, s := range src {
		if b := math.Float64bits(s.LambdaM.V); b != want[i] {
			t.Errorf("lambda %d = %v, C %v", i, s.LambdaM.V, math.Float64frombits(want[i]))
		}
	}
	if b := math.Float64bits(Fluence(0, 2e19, 2, 0.02/1000)); b != 0x45f431e0fae6d721 {
		t.Errorf("fluence bits %#x differ from C", b)
	}
}

// TestLambdaDerivative checks d lambda_i / d lambda0 from the dual numbers
// against central finite differences, for a grid and for a source file
// (where only lines without a wavelength column depend on lambda0).
func TestLambdaDerivative(t *testing.T) {
	const l0, h = 1e-10, 1e-16
	build := func(l dual.Num) []Source {
		g := grid(-1, -1, 0, -1, -1, 0, 0.04, -1, 5, true)
		g.Lambda0M = l
		src := FromGrid(g, mosflmBeam, mosflmPolar, mosflmVert, sourceDistanceM)
		fs := []FileSource{
			{X: -10, Y: 0, Z: 0, Weight: 1, LambdaM: 1.03e-10},
			{X: -10, Y: 0.01, Z: 0, Weight: math.NaN(), LambdaM: math.NaN()},
		}
		return append(src, FromFile(fs, mosflmBeam, l, sourceDistanceM)...)
	}
	ad := build(dual.Var(l0, 0, 1))
	up, down := build(dual.C(l0+h)), build(dual.C(l0-h))
	for i := range ad {
		fd := (up[i].LambdaM.V - down[i].LambdaM.V) / (2 * h)
		got := ad[i].LambdaM.Grad(0)
		if math.Abs(got-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("source %d: d lambda/d lambda0 = %v, finite difference %v", i, got, fd)
		}
	}
	// The grid's factors are 0.98 .. 1.02; the file source with its own
	// wavelength has derivative 0, the one without has 1.
	if d := ad[0].LambdaM.Grad(0); d != 0.98 {
		t.Errorf("first grid wavelength derivative %v, want 0.98", d)
	}
	if d5, d6 := ad[5].LambdaM.Grad(0), ad[6].LambdaM.Grad(0); d5 != 0 || d6 != 1 {
		t.Errorf("file sources: derivatives %v, %v; want 0, 1", d5, d6)
	}
}
