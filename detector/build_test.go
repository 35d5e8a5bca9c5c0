package detector

import (
	"math"
	"strings"
	"testing"

	"gobragg/dual"
)

// TestHonourPix0 checks the spec mode: the given pix0, rotated by the
// detector rotations and two-theta, is the origin, and the near point,
// close distance, direct-beam spot and distance follow from it.
func TestHonourPix0(t *testing.T) {
	dot := func(x, y [3]float64) float64 { return x[0]*y[0] + x[1]*y[1] + x[2]*y[2] }
	for _, tc := range []struct {
		name         string
		conv         Convention
		rx, rz, tt   float64
		given, odet0 [3]float64 // odet0: the unrotated normal of the convention
	}{
		{"custom, no rotation", Custom, 0, 0, 0, [3]float64{0.1, 0.004, -0.0061}, [3]float64{1, 0, 0}},
		{"custom, rotx and rotz", Custom, 0.03, -0.02, 0, [3]float64{0.1, 0.004, -0.0061}, [3]float64{1, 0, 0}},
		{"custom, rotx and twotheta", Custom, 0.03, 0, 0.2, [3]float64{0.1, 0.004, -0.0061}, [3]float64{1, 0, 0}},
		{"xds, rotx", XDS, 0.01, 0, 0, [3]float64{-0.004, 0.0061, 0.1}, [3]float64{0, 0, 1}},
	} {
		given := tc.given
		in := withPixels(DefaultInput(), 0.1, 128, 128)
		in.Convention = tc.conv
		// An exactly orthonormal frame with a tilted beam.
		in.Fdet, in.Sdet, in.Odet = [3]float64{0, 0, 1}, [3]float64{0, -1, 0}, [3]float64{1, 0, 0}
		in.Beam = [3]float64{0.999950004, 0.009999833, 0}
		in.RotX, in.RotZ, in.TwoTheta = dual.C(tc.rx), dual.C(tc.rz), dual.C(tc.tt)
		in.DistanceM, in.XbeamM = mm(250), mm(1) // must be ignored
		in.Pix0M = &[3]dual.Num{dual.C(given[0]), dual.C(given[1]), dual.C(given[2])}
		in.HonourPix0 = true
		g, err := Build(in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		axis := dual.V3(g.TwoThetaAxis[0], g.TwoThetaAxis[1], g.TwoThetaAxis[2])
		want := dual.V3(given[0], given[1], given[2]).RotateXYZ(in.RotX, in.RotY, in.RotZ).RotateAxis(axis, in.TwoTheta).Values()
		if tc.rx == 0 && tc.rz == 0 && tc.tt == 0 && want != given {
			t.Fatalf("%s: test setup: unrotated vector changed", tc.name)
		}
		if got := g.Pix0.Values(); got != want {
			t.Errorf("%s: Pix0 = %v, want %v", tc.name, got, want)
		}
		p, f, s, o, b := g.Pix0.Values(), g.Fdet.Values(), g.Sdet.Values(), g.Odet.Values(), g.Beam.Values()
		// C's ratio is taken before the two-theta swing.
		oBefore := dual.V3(tc.odet0[0], tc.odet0[1], tc.odet0[2]).RotateXYZ(in.RotX, in.RotY, in.RotZ).Values()
		ratio := dot(b, oBefore)
		const tol = 1e-15 // a few ulps of 0.1 m
		type check struct {
			name      string
			got, want float64
		}
		checks := []check{
			{"Fclose", g.FcloseM.V, -dot(p, f)},
			{"Sclose", g.ScloseM.V, -dot(p, s)},
			{"close_distance", g.CloseDistanceM.V, dot(p, o)},
			{"ratio", g.Ratio.V, ratio},
			{"distance", g.DistanceM.V, dot(p, o) / ratio},
			{"ORGX", g.ORGX.V, -dot(p, f)/g.PixelSizeM + 0.5},
			{"dials x", g.DialsOriginMM[0].V, 1000 * p[2]},
			{"dials z", g.DialsOriginMM[2].V, -1000 * p[0]},
		}
		if tc.tt == 0 {
			// Without two-theta the direct beam hits the plane at
			// pix0 + Fbeam f + Sbeam s = distance*beam.
			for i := 0; i < 3; i++ {
				hit := p[i] + g.FbeamM.V*f[i] + g.SbeamM.V*s[i]
				checks = append(checks, check{"beam spot " + string(rune('x'+i)), hit, g.DistanceM.V * b[i]})
			}
		}
		for _, c := range checks {
			if math.Abs(c.got-c.want) > tol {
				t.Errorf("%s: %s = %.17g, want %.17g", tc.name, c.name, c.got, c.want)
			}
		}
	}
}

// TestCIgnoresPix0 checks that without HonourPix0 the vector changes nothing.
func TestCIgnoresPix0(t *testing.T) {
	in := withPixels(DefaultInput(), 0.1, 128, 128)
	in.Convention = Custom
	a, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Pix0M = &[3]dual.Num{dual.C(-0.1), dual.C(0.05), dual.C(0.05)}
	b, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Pix0.Values() != b.Pix0.Values() {
		t.Errorf("Pix0 with ignored vector %v, without %v", b.Pix0.Values(), a.Pix0.Values())
	}
}

// TestForcedPivot checks which conventions override the requested pivot.
func TestForcedPivot(t *testing.T) {
	for _, tc := range []struct {
		conv      Convention
		requested Pivot
		want      Pivot
		forced    bool
	}{
		{MOSFLM, PivotSample, PivotBeam, true},
		{MOSFLM, PivotBeam, PivotBeam, false},
		{DENZO, PivotSample, PivotBeam, true},
		{ADXV, PivotSample, PivotBeam, true},
		{XDS, PivotBeam, PivotSample, true},
		{DIALS, PivotBeam, PivotSample, true},
		{Custom, PivotBeam, PivotBeam, false},
		{Custom, PivotSample, PivotSample, false},
	} {
		in := withPixels(DefaultInput(), 0.1, 64, 64)
		in.Convention, in.Pivot = tc.conv, tc.requested
		g, err := Build(in)
		if err != nil {
			t.Fatalf("%v: %v", tc.conv, err)
		}
		if g.Pivot != tc.want || g.PivotForced != tc.forced || g.RequestedPivot != tc.requested {
			t.Errorf("%v requesting %v: pivot %v forced %v requested %v, want %v forced %v",
				tc.conv, tc.requested, g.Pivot, g.PivotForced, g.RequestedPivot, tc.want, tc.forced)
		}
	}
}

// TestBuildErrors checks that unusable inputs are reported by name.
func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		modify func(in *Input)
		want   string
	}{
		{"zero pixels", func(in *Input) { in.FPixels = 0 }, "pixels"},
		{"negative pixels", func(in *Input) { in.SPixels = -3 }, "pixels"},
		{"zero pixel size", func(in *Input) { in.PixelSizeM = 0 }, "pixel size"},
		{"NaN pixel size", func(in *Input) { in.PixelSizeM = math.NaN() }, "pixel size"},
		{"negative detsize", func(in *Input) { in.DetsizeSM = -1 }, "slow detector size"},
		{"infinite distance", func(in *Input) { in.DistanceM = dual.C(math.Inf(1)) }, "distance"},
		{"NaN rotation", func(in *Input) { in.RotY = dual.C(math.NaN()) }, "roty"},
		{"NaN vector", func(in *Input) { in.Convention = Custom; in.Beam[1] = math.NaN() }, "beam_vector"},
		{"zero fdet", func(in *Input) { in.Convention = Custom; in.Fdet = [3]float64{} }, "fdet_vector"},
		{"zero beam", func(in *Input) { in.Convention = Custom; in.Beam = [3]float64{} }, "beam_vector"},
		{"zero spindle", func(in *Input) { in.Convention = Custom; in.Spindle = [3]float64{} }, "spindle_axis"},
		{"parallel axes", func(in *Input) {
			in.Convention = Custom
			in.Odet = [3]float64{}
			in.Sdet = in.Fdet
		}, "parallel"},
		{"zero twotheta axis", func(in *Input) {
			in.Convention = Custom
			in.TwoThetaAxis = [3]float64{}
			in.TwoTheta = dual.C(0.1)
		}, "twotheta_axis"},
		{"pix0 missing", func(in *Input) { in.HonourPix0 = true }, "pix0"},
		{"unknown convention", func(in *Input) { in.Convention = 17 }, "convention"},
	} {
		in := withPixels(DefaultInput(), 0.1, 64, 64)
		tc.modify(&in)
		_, err := Build(in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
	// A zero odet is not an error: C generates it from fdet x sdet.
	in := withPixels(DefaultInput(), 0.1, 64, 64)
	in.Convention = Custom
	in.Odet = [3]float64{}
	g, err := Build(in)
	if err != nil {
		t.Fatalf("zero odet: %v", err)
	}
	if len(g.Warnings) != 1 || g.Odet.Values() != [3]float64{1, 0, 0} {
		t.Errorf("zero odet: warnings %q odet %v, want one warning and 1 0 0", g.Warnings, g.Odet.Values())
	}
}

// TestCurvedPixelPosition checks the curved detector: every point lies at
// Distance from the sample, and the point whose flat position has zero
// lab y and z is Distance*Beam.
func TestCurvedPixelPosition(t *testing.T) {
	in := withPixels(DefaultInput(), 0.1, 128, 128)
	in.DistanceM, in.RotX, in.TwoTheta = mm(40), degs(2), degs(5)
	g, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	d := g.DistanceM.V
	for _, fs := range [][2]float64{{0, 0}, {0.00315, 0.0101}, {0.0128, 0.0128}} {
		p := g.PixelPosition(fs[0], fs[1], 0, true)
		if r := math.Sqrt(p[0]*p[0] + p[1]*p[1] + p[2]*p[2]); math.Abs(r-d) > 1e-15 {
			t.Errorf("curved point %v: |pos| = %.17g, distance %.17g", fs, r, d)
		}
	}
	// Untilted MOSFLM detector: the flat point at Fbeam, Sbeam lies on the beam.
	in = withPixels(DefaultInput(), 0.1, 128, 128)
	in.DistanceM = mm(40)
	g, _ = Build(in)
	p := g.PixelPosition(g.FbeamM.V, g.SbeamM.V, 0, true)
	if want := [3]float64{g.DistanceM.V, 0, 0}; p != want {
		t.Errorf("curved beam spot = %v, want %v", p, want)
	}
	flat := g.PixelPosition(g.FbeamM.V, g.SbeamM.V, 0, false)
	if want := [3]float64{g.DistanceM.V, 0, 0}; flat != want {
		t.Errorf("flat beam spot = %v, want %v", flat, want)
	}
}

// TestCFormat checks the %g rendering against printf's rules.
func TestCFormat(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0.1, "0.1"}, {100, "100"}, {0.0065, "0.0065"}, {1e-5, "1e-05"}, {2.5e-5, "2.5e-05"},
		{123456, "123456"}, {1234567, "1.23457e+06"}, {-0.0334697299877431, "-0.0334697"},
		{0.00012345678, "0.000123457"}, {math.Copysign(0, -1), "-0"}, {0, "0"},
		{math.NaN(), "nan"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {1e100, "1e+100"},
	} {
		if got := cg(tc.x); got != tc.want {
			t.Errorf("cg(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}
