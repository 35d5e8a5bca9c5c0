package detector

import (
	"fmt"
	"gobragg/internal/golden"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gobragg/dual"
)

// goldenCase is a golden run whose detector options were translated by
// hand into an Input (see the comment on each case for the options).
type goldenCase struct {
	name string
	in   Input
}

func goldenCases() []goldenCase {
	base := func() Input { return withPixels(DefaultInput(), 0.1, 128, 128) }
	custom := func(in Input, f, s, o, b [3]float64) Input {
		in.Convention = Custom
		in.Fdet, in.Sdet, in.Odet, in.Beam = f, s, o, b
		return in
	}
	var cases []goldenCase
	add := func(name string, in Input) { cases = append(cases, goldenCase{name, in}) }

	// -distance 100 -pixel 0.1 -detpixels 128
	in := base()
	in.DistanceM = mm(100)
	add("mosflm_default", in)

	// -mosflm -distance 100 -pixel 0.1 -detpixels 128 -Xbeam 5.0 -Ybeam 7.3
	in = base()
	in.DistanceM, in.XbeamM, in.YbeamM = mm(100), mm(5.0), mm(7.3)
	add("mosflm_beam_center", in)

	// ... -Xbeam 5.0 -Ybeam 7.3 -detector_rotx 3 -detector_roty 2 -detector_rotz 4 -pivot beam
	in.RotX, in.RotY, in.RotZ = degs(3), degs(2), degs(4)
	add("mosflm_detector_rot", in)
	// same with -pivot sample, which MOSFLM overrides
	in.Pivot = PivotSample
	add("mosflm_pivot_flag_overridden", in)

	// -fdet_vector 0 0 1 -sdet_vector 0 -1 0 -odet_vector 1 0 0 -beam_vector 1 0 0
	// -Xbeam 5.0 -Ybeam 7.3 -detector_rotx 3 -detector_roty 2 -detector_rotz 4 -twotheta 10 -pivot sample|beam
	in = custom(base(), [3]float64{0, 0, 1}, [3]float64{0, -1, 0}, [3]float64{1, 0, 0}, [3]float64{1, 0, 0})
	in.DistanceM, in.XbeamM, in.YbeamM = mm(100), mm(5.0), mm(7.3)
	in.RotX, in.RotY, in.RotZ, in.TwoTheta = degs(3), degs(2), degs(4), degs(10)
	in.Pivot = PivotSample
	add("custom_axes_pivot_sample", in)
	in.Pivot = PivotBeam
	add("custom_axes_pivot_beam", in)

	// -xds -distance 100 -pixel 0.1 -detpixels_x 96 -detpixels_y 80 -ORGX 40.5 -ORGY 30.25
	in = withPixels(DefaultInput(), 0.1, 96, 80)
	in.Convention, in.Pivot = XDS, PivotSample
	in.DistanceM, in.ORGX, in.ORGY = mm(100), dual.C(40.5), dual.C(30.25)
	add("xds_orgx_nonsquare", in)

	// -xds -distance 100 -pixel 0.1 -detpixels 128 -Xbeam 3.0 -Ybeam 4.0
	in = base()
	in.Convention, in.Pivot = XDS, PivotBeam
	in.DistanceM, in.XbeamM, in.YbeamM = mm(100), mm(3.0), mm(4.0)
	add("xds_xbeam_only", in)

	// -adxv -distance 100 -pixel 0.1 -detpixels 128 -Xbeam 6.0 -Ybeam 6.5
	in = base()
	in.Convention = ADXV
	in.DistanceM, in.XbeamM, in.YbeamM = mm(100), mm(6.0), mm(6.5)
	add("adxv_beam_center", in)

	// -denzo -distance 100 -pixel 0.1 -detpixels 128 -Xbeam 6.2 -Ybeam 5.9
	in = base()
	in.Convention = DENZO
	in.DistanceM, in.XbeamM, in.YbeamM = mm(100), mm(6.2), mm(5.9)
	add("denzo_beam_center", in)

	// -dials -distance 100 -pixel 0.1 -detpixels 128 -ORGX 64 -ORGY 60 -twotheta 8
	in = base()
	in.Convention, in.Pivot = DIALS, PivotSample
	in.DistanceM, in.ORGX, in.ORGY, in.TwoTheta = mm(100), dual.C(64), dual.C(60), degs(8)
	add("dials_twotheta", in)

	// -fdet_vector -0.033469730 -0.053230332 0.998021197 -sdet_vector 0.027966946 -0.998239517 -0.052304075
	// -odet_vector 0.999048361 0.026161002 0.034899497 -beam_vector 0.999950004 0.009999833 0 -Xbeam 6.1 -Ybeam 6.6
	tiltF := [3]float64{-0.033469730, -0.053230332, 0.998021197}
	tiltS := [3]float64{0.027966946, -0.998239517, -0.052304075}
	tiltO := [3]float64{0.999048361, 0.026161002, 0.034899497}
	tiltB := [3]float64{0.999950004, 0.009999833, 0}
	in = custom(base(), tiltF, tiltS, tiltO, tiltB)
	in.DistanceM, in.XbeamM, in.YbeamM = mm(100), mm(6.1), mm(6.6)
	add("custom_vectors", in)
	// same plus -pix0_vector -0.1 0.05 0.05, which C ignores
	in.Pix0M = &[3]dual.Num{dual.C(-0.1), dual.C(0.05), dual.C(0.05)}
	add("custom_vectors_pix0", in)

	// same vectors (no -distance, no beam centre) -twotheta_axis 0 0 -1 -twotheta 12 -close_distance 95
	in = custom(base(), tiltF, tiltS, tiltO, tiltB)
	in.TwoThetaAxis = [3]float64{0, 0, -1}
	in.TwoTheta, in.CloseDistanceM, in.Pivot = degs(12), mm(95), PivotSample
	add("custom_twotheta_close", in)

	// -distance 100 -pixel 0.1 -detpixels 128 -twotheta 15
	in = base()
	in.DistanceM, in.TwoTheta, in.Pivot = mm(100), degs(15), PivotSample
	add("mosflm_twotheta", in)

	// -distance 100 -Xbeam 4 -Ybeam 8 -twotheta 10 -pivot beam
	in = base()
	in.DistanceM, in.XbeamM, in.YbeamM, in.TwoTheta = mm(100), mm(4), mm(8), degs(10)
	add("mosflm_twotheta_beam_offset", in)

	// -pixel 0.1 -detpixels 128 -close_distance 90 -detector_roty 10
	in = base()
	in.CloseDistanceM, in.RotY, in.Pivot = mm(90), degs(10), PivotSample
	add("close_distance_roty", in)

	// -distance 100 -detector_abs 500 -detector_thick 450 -detector_thicksteps 5 -twotheta 20
	in = base()
	in.DistanceM, in.TwoTheta, in.Pivot = mm(100), degs(20), PivotSample
	add("detector_absorption", in)

	// -distance 40 -curved_det
	in = base()
	in.DistanceM = mm(40)
	add("curved_det", in)

	// -mask inputs/mask64.img: SIZE1=SIZE2=64, PIXEL_SIZE=0.1, DISTANCE=80,
	// BEAM_CENTER_X=3, BEAM_CENTER_Y=3.5 (flipped: detsize_s - 3.5 mm)
	in = withPixels(DefaultInput(), 0.1, 64, 64)
	in.DistanceM, in.XbeamM = mm(80), mm(3)
	in.YbeamM = dual.C(in.DetsizeSM - 3.5/1000.0)
	add("mask", in)

	// -distance 100 -detpixels 4 -pixel 0.1
	in = withPixels(DefaultInput(), 0.1, 4, 4)
	in.DistanceM = mm(100)
	add("phi_carryover_tiny", in)

	// -spindle_axis -1 0 0 -Xbeam 217.742295 -Ybeam 213.907080 -distance 231.274660 -pixel 0.172
	// -detpixels_x 2463 -detpixels_y 2527 -odet_vector -0.000088 0.004914 -0.999988
	// -sdet_vector -0.005998 -0.999970 -0.004913 -fdet_vector 0.999982 -0.005998 -0.000118
	// -pix0_vector_mm -216.336293 215.205512 -230.200866 -beam_vector 0.00051387949 0.0 -0.99999986
	// -detector_rotx 0 -detector_roty 0 -detector_rotz 0 -twotheta 0 (last pivot option: sample)
	in = custom(withPixels(DefaultInput(), 0.172, 2463, 2527),
		[3]float64{0.999982, -0.005998, -0.000118}, [3]float64{-0.005998, -0.999970, -0.004913},
		[3]float64{-0.000088, 0.004914, -0.999988}, [3]float64{0.00051387949, 0.0, -0.99999986})
	in.Spindle = [3]float64{-1, 0, 0}
	in.XbeamM, in.YbeamM, in.DistanceM = mm(217.742295), mm(213.907080), mm(231.274660)
	in.Pix0M = &[3]dual.Num{dual.C(-216.336293), dual.C(215.205512), dual.C(-230.200866)}
	in.Pivot = PivotSample
	add("supervisor_roi", in)
	add("supervisor_roi_peak", in)
	return cases
}

// relClose reports |got-want| <= tol*scale.
func relClose(got, want, tol, scale float64) bool {
	return math.Abs(got-want) <= tol*scale
}

func norm3(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

// TestGoldenTraces compares the detector vectors, origin and close distance
// with the instrumented C build's trace lines, which print them with %.15g.
// Tolerance 1e-12 of the vector's length: %.15g keeps about 1e-15, so this
// allows a few ulps of different rounding and nothing more.
func TestGoldenTraces(t *testing.T) {
	manifest := golden.Require(t)
	dir := manifest.Dir
	const tol = 1e-12
	checked := 0
	for _, gc := range goldenCases() {
		mc, ok := manifest.Case(gc.name)
		if !ok {
			t.Errorf("%s: not in manifest", gc.name)
			continue
		}
		g, err := Build(gc.in)
		if err != nil {
			t.Errorf("%s: Build: %v", gc.name, err)
			continue
		}
		for _, tr := range mc.Traces {
			lines := readLines(t, filepath.Join(dir, gc.name, tr.File))
			vecs := []struct {
				prefix string
				got    [3]float64
			}{
				{"DETECTOR_FAST_AXIS ", g.Fdet.Values()},
				{"DETECTOR_SLOW_AXIS ", g.Sdet.Values()},
				{"DETECTOR_NORMAL_AXIS ", g.Odet.Values()},
				{"DETECTOR_PIX0_VECTOR ", g.Pix0.Values()},
				{"TRACE_C: pix0_vector_meters ", g.Pix0.Values()},
				{"TRACE_C: fdet_vec ", g.Fdet.Values()},
				{"TRACE_C: sdet_vec ", g.Sdet.Values()},
				{"TRACE_C: close_distance_meters ", [3]float64{g.CloseDistanceM.V}},
			}
			for _, v := range vecs {
				all := traceValues(t, lines, v.prefix)
				if len(all) == 0 {
					t.Errorf("%s/%s: no %q line", gc.name, tr.File, v.prefix)
				}
				for _, want := range all {
					scale := norm3(want)
					for i, w := range want {
						if !relClose(v.got[i], w, tol, scale) {
							t.Errorf("%s/%s: %s[%d] = %.17g, C %.17g", gc.name, tr.File, strings.TrimSpace(v.prefix), i, v.got[i], w)
						}
					}
					checked++
				}
			}
			// First traced sub-pixel: layer 0, sub-pixel (0,0).
			over := 1
			for _, l := range lines {
				if n, err := fmt.Sscanf(l, "  %dx", &over); err == nil && n == 1 && strings.Contains(l, "pixel oversample steps") {
					break
				}
			}
			sub := g.PixelSizeM / float64(over)
			fdet := sub*float64(tr.Fast*over+0) + sub/2.0
			sdet := sub*float64(tr.Slow*over+0) + sub/2.0
			pos := g.PixelPosition(fdet, sdet, 0, false)
			want := traceValues(t, lines, "TRACE_C: pixel_pos_meters ")
			if len(want) == 0 {
				t.Errorf("%s/%s: no pixel_pos_meters line", gc.name, tr.File)
				continue
			}
			for i, w := range want[0] {
				if !relClose(pos[i], w, tol, norm3(want[0])) {
					t.Errorf("%s/%s: PixelPosition[%d] = %.17g, C %.17g", gc.name, tr.File, i, pos[i], w)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no trace values compared")
	}
}

// TestGoldenLog checks that the detector lines of C's stdout appear in
// c.log exactly, each group as consecutive lines.
func TestGoldenLog(t *testing.T) {
	dir := golden.Require(t).Dir
	for _, gc := range goldenCases() {
		g, err := Build(gc.in)
		if err != nil {
			t.Errorf("%s: Build: %v", gc.name, err)
			continue
		}
		lines := readLines(t, filepath.Join(dir, gc.name, "c.log"))
		l := g.Log()
		var before []string
		for _, line := range lines {
			if strings.HasPrefix(line, "nanoBragg nanocrystal diffraction simulator") {
				break
			}
			if strings.Contains(line, "odet_vector") {
				before = append(before, line)
			}
		}
		if strings.Join(before, "|") != strings.Join(l.Warnings, "|") {
			t.Errorf("%s: warnings %q, C printed %q", gc.name, l.Warnings, before)
		}
		for _, block := range []struct {
			name  string
			lines []string
		}{{"setup", l.Setup}, {"distance", []string{l.Distance}}, {"summary", l.Summary}} {
			if containsBlock(lines, block.lines) {
				continue
			}
			for _, want := range block.lines {
				found := false
				for _, line := range lines {
					found = found || line == want
				}
				if !found {
					t.Errorf("%s: %s line %q not in c.log", gc.name, block.name, want)
				}
			}
			t.Errorf("%s: %s lines not consecutive in c.log", gc.name, block.name)
		}
	}
}

// TestGoldenHeader compares every detector value of the SMV header. The
// values are compared as C's %g text (exact) and, to report the size of a
// mismatch, numerically.
func TestGoldenHeader(t *testing.T) {
	manifest := golden.Require(t)
	checked := 0
	for _, gc := range goldenCases() {
		mc, ok := manifest.Case(gc.name)
		if !ok || mc.SMVHeader == "" {
			continue
		}
		g, err := Build(gc.in)
		if err != nil {
			t.Errorf("%s: Build: %v", gc.name, err)
			continue
		}
		h := g.Header(gc.in.TwoTheta.V)
		kv := parseHeader(mc.SMVHeader)
		want := map[string]string{
			"SIZE1":           strconv.Itoa(h.Size1),
			"SIZE2":           strconv.Itoa(h.Size2),
			"PIXEL_SIZE":      cg(h.PixelSizeMM),
			"DISTANCE":        cg(h.DistanceMM),
			"BEAM_CENTER_X":   cg(h.BeamCenterXMM),
			"BEAM_CENTER_Y":   cg(h.BeamCenterYMM),
			"ADXV_CENTER_X":   cg(h.ADXVCenterXMM),
			"ADXV_CENTER_Y":   cg(h.ADXVCenterYMM),
			"MOSFLM_CENTER_X": cg(h.MOSFLMCenterXMM),
			"MOSFLM_CENTER_Y": cg(h.MOSFLMCenterYMM),
			"DENZO_X_BEAM":    cg(h.DenzoXBeamMM),
			"DENZO_Y_BEAM":    cg(h.DenzoYBeamMM),
			"DIALS_ORIGIN":    cg3(h.DialsOriginMM, ","),
			"XDS_ORGX":        cg(h.XDSOrgX),
			"XDS_ORGY":        cg(h.XDSOrgY),
			"CLOSE_DISTANCE":  cg(h.CloseDistanceMM),
			"TWOTHETA":        cg(h.TwoThetaDeg),
		}
		for key, got := range want {
			c, ok := kv[key]
			if !ok {
				t.Errorf("%s: header has no %s", gc.name, key)
				continue
			}
			if got != c {
				t.Errorf("%s: %s = %s, C header %s", gc.name, key, got, c)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no header values compared")
	}
}
