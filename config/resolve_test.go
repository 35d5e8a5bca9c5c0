package config

import (
	"math"
	"slices"
	"testing"
)

func mustResolve(t *testing.T, args ...string) *Settings {
	t.Helper()
	s := mustParse(t, withBase(args...)...)
	if err := s.Resolve(); err != nil {
		t.Fatalf("Resolve(%q): %v", args, err)
	}
	return s
}

// near compares derived angles and ranges; they come from one or two float64
// operations, so 1e-12 relative is far above rounding and far below any
// mistake in the rules.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }

// The expected values in these tables were printed by nanoBragg.c for the
// same options ("N phi steps from A to B degrees", "wave=... in N steps",
// "N divergence steps", "N mosaic domains over mosaic spread of X degrees").

func TestAutoPhi(t *testing.T) {
	tests := []struct {
		args          []string
		steps         int
		oscDeg, stepD float64
	}{
		{nil, 1, 0, 0},
		{[]string{"-osc", "1", "-phisteps", "5"}, 5, 1, 0.2},
		{[]string{"-phistep", "0.25"}, 2, 0.25, 0.25},
		{[]string{"-osc", "1"}, 2, 1, 0.5},
		{[]string{"-osc", "1", "-phistep", "0.3"}, 4, 1, 0.3},
		{[]string{"-phisteps", "4"}, 4, 1, 0.25},
		{[]string{"-phisteps", "0"}, 1, 1, 1},
		{[]string{"-phisteps", "3", "-phistep", "0.5"}, 2, 0.5, 0.5},
		{[]string{"-osc", "2", "-phisteps", "4", "-phistep", "0.1"}, 4, 2, 0.1},
		{[]string{"-phi", "10", "-osc", "1", "-phisteps", "5"}, 5, 1, 0.2},
	}
	for _, tc := range tests {
		s := mustResolve(t, tc.args...)
		if s.PhiSteps != tc.steps || !near(s.Osc*rtd, tc.oscDeg) || !near(s.PhiStep*rtd, tc.stepD) {
			t.Errorf("%q: %d steps, osc %g deg, step %g deg; C gives %d, %g, %g",
				tc.args, s.PhiSteps, s.Osc*rtd, s.PhiStep*rtd, tc.steps, tc.oscDeg, tc.stepD)
		}
	}
}

func TestAutoDivergence(t *testing.T) {
	tests := []struct {
		args           []string
		hSteps, vSteps int
		hRange, hStep  float64 // radians
		vRange         float64
	}{
		{nil, 1, 1, 0, 0, 0},
		{[]string{"-hdivrange", "1", "-vdivrange", "1", "-hdivsteps", "3", "-vdivsteps", "3", "-round_div"}, 3, 3, 1e-3, 0.5e-3, 1e-3},
		{[]string{"-hdivrange", "1", "-vdivrange", "1", "-hdivsteps", "3", "-vdivsteps", "3", "-square_div"}, 3, 3, 1e-3, 0.5e-3, 1e-3},
		{[]string{"-divergence", "1"}, 2, 2, 1e-3, 1e-3, 1e-3},
		{[]string{"-hdivstep", "0.2"}, 2, 1, 0.2e-3, 0.2e-3, 0},
		{[]string{"-divsteps", "4"}, 4, 4, 1.0, 0.25, 1.0},
		{[]string{"-hdivrange", "0.5", "-hdivstep", "0.2"}, 3, 1, 0.5e-3, 0.2e-3, 0},
		{[]string{"-hdivrange", "1", "-hdivsteps", "1"}, 2, 1, 1e-3, 1e-3, 0},
		{[]string{"-hdivrange", "0", "-hdivsteps", "3"}, 1, 1, 0, 0, 0},
	}
	for _, tc := range tests {
		s := mustResolve(t, tc.args...)
		if s.HDivSteps != tc.hSteps || s.VDivSteps != tc.vSteps || !near(s.HDivRange, tc.hRange) ||
			!near(s.HDivStep, tc.hStep) || !near(s.VDivRange, tc.vRange) {
			t.Errorf("%q: h %d steps range %g step %g, v %d steps range %g; want h %d %g %g, v %d %g",
				tc.args, s.HDivSteps, s.HDivRange, s.HDivStep, s.VDivSteps, s.VDivRange,
				tc.hSteps, tc.hRange, tc.hStep, tc.vSteps, tc.vRange)
		}
	}
	if s := mustResolve(t, "-square_div"); s.RoundDiv {
		t.Error("-square_div left RoundDiv on")
	}
}

func TestAutoDispersion(t *testing.T) {
	tests := []struct {
		args       []string
		steps      int
		disp, step float64 // fractions
	}{
		{nil, 1, 0, 0},
		{[]string{"-dispersion", "4", "-dispsteps", "5"}, 5, 0.04, 0.01},
		{[]string{"-dispersion", "4"}, 2, 0.04, 0.04},
		{[]string{"-dispsteps", "5"}, 1, 0, 0},
	}
	for _, tc := range tests {
		s := mustResolve(t, tc.args...)
		if s.DispSteps != tc.steps || !near(s.Dispersion, tc.disp) || !near(s.DispStep, tc.step) {
			t.Errorf("%q: %d steps, dispersion %g, step %g; want %d %g %g", tc.args, s.DispSteps, s.Dispersion, s.DispStep, tc.steps, tc.disp, tc.step)
		}
	}
}

func TestAutoThickness(t *testing.T) {
	tests := []struct {
		args        []string
		steps       int
		thick, step float64 // metres
		mu          float64 // 1/m; NaN = unused
	}{
		{nil, 1, 0, 0, math.NaN()},
		{[]string{"-detector_thick", "100"}, 2, 100e-6, 50e-6, 1 / 100e-6},
		{[]string{"-detector_thick", "450", "-detector_thicksteps", "5", "-detector_abs", "500"}, 5, 450e-6, 450e-6 / 4, 1 / 500e-6},
		{[]string{"-thicksteps", "3"}, 1, 0, 0, math.NaN()},
		{[]string{"-detector_abs", "300", "-detector_thick", "200", "-detector_thicksteps", "2"}, 2, 200e-6, 200e-6, 1 / 300e-6},
		{[]string{"-detector_abs", "inf", "-detector_thick", "200"}, 2, 200e-6, 100e-6, 0},
	}
	for _, tc := range tests {
		s := mustResolve(t, tc.args...)
		muOK := near(s.DetectorMu, tc.mu) || (math.IsNaN(tc.mu) && math.IsNaN(s.DetectorMu))
		if s.DetectorThickSteps != tc.steps || !near(s.DetectorThick, tc.thick) || !near(s.DetectorThickStep, tc.step) || !muOK {
			t.Errorf("%q: %d layers, thick %g, step %g, mu %g; want %d %g %g %g", tc.args, s.DetectorThickSteps,
				s.DetectorThick, s.DetectorThickStep, s.DetectorMu, tc.steps, tc.thick, tc.step, tc.mu)
		}
	}
}

func TestAutoMosaic(t *testing.T) {
	tests := []struct {
		args    []string
		domains int
		deg     float64
		warning string
	}{
		{nil, 1, 0, ""},
		{[]string{"-mosaic", "0.5"}, 10, 0.5, "WARNING: finite mosaicity with only one domain! upping to 10 mosaic domains"},
		{[]string{"-mosaic", "0"}, 1, 0, ""},
		{[]string{"-mosaic", "0", "-mosaic_dom", "4"}, 1, 0, "WARNING: zero mosaic spread specified.  setting mosaic_domains = 1"},
		{[]string{"-mosaic_dom", "4"}, 1, 0, "WARNING: no mosaic spread specified.  setting mosaic_domains = 1"},
		{[]string{"-mosaic", "0.5", "-mosaic_dom", "3"}, 3, 0.5, ""},
	}
	for _, tc := range tests {
		s := mustResolve(t, tc.args...)
		var want []string
		if tc.warning != "" {
			want = []string{tc.warning}
		}
		if s.MosaicDomains != tc.domains || !near(s.MosaicSpread*rtd, tc.deg) || !slices.Equal(s.Warnings, want) {
			t.Errorf("%q: %d domains over %g deg, warnings %q; want %d, %g, %q", tc.args, s.MosaicDomains, s.MosaicSpread*rtd, s.Warnings, tc.domains, tc.deg, want)
		}
	}
}

// TestWarningsOrder: the WARNING lines, word for word and in order, that
// nanoBragg.c printed for the same options.
func TestWarningsOrder(t *testing.T) {
	s := mustResolve(t, "-samplesize", "0.5", "-beamsize", "0.1", "-mosaic", "1", "-detector_thick", "100")
	want := []string{
		"WARNING: clipping sample (0.0005 m high) with beam (0.0001 m)",
		"WARNING: clipping sample (0.0005 m wide) with beam (0.0001 m)",
		"WARNING: setting detector attenuation depth to 10000 m",
		"WARNING: finite mosaicity with only one domain! upping to 10 mosaic domains",
	}
	if !slices.Equal(s.Warnings, want) {
		t.Errorf("warnings\n got %q\nwant %q", s.Warnings, want)
	}
	if s.SampleX != rt(0.5)/1000 || s.SampleY != rt(0.1)/1000 || s.SampleZ != rt(0.1)/1000 {
		t.Errorf("sample not clipped to the beam: %g %g %g", s.SampleX, s.SampleY, s.SampleZ)
	}
}

// TestDetectorFill: pixel counts and sizes as nanoBragg.c printed them
// ("detsize=FxS pixel=P meters (NxM pixels)").
func TestDetectorFill(t *testing.T) {
	tests := []struct {
		args     []string
		f, s     int
		detF, dS string
	}{
		{nil, 1024, 1024, "0.1024", "0.1024"},
		{[]string{"-detsize", "10.24"}, 102, 102, "0.01024", "0.01024"},
		{[]string{"-detsize", "10.26"}, 103, 103, "0.01026", "0.01026"},
		{[]string{"-detsize_f", "1.04", "-detsize_s", "0.8"}, 10, 8, "0.00104", "0.0008"},
		{[]string{"-detpixels", "10", "-detsize", "50"}, 10, 10, "0.001", "0.001"},
		{[]string{"-pixel", "0.172", "-detsize", "1"}, 6, 6, "0.001", "0.001"},
		{[]string{"-detpixels_x", "96", "-detpixels_y", "80"}, 96, 80, "0.0096", "0.008"},
	}
	for _, tc := range tests {
		s := mustResolve(t, tc.args...)
		if s.FPixels != tc.f || s.SPixels != tc.s || g(s.DetsizeF) != tc.detF || g(s.DetsizeS) != tc.dS {
			t.Errorf("%q: %dx%d pixels, %sx%s m; C gives %dx%d, %sx%s", tc.args, s.FPixels, s.SPixels, g(s.DetsizeF), g(s.DetsizeS), tc.f, tc.s, tc.detF, tc.dS)
		}
		if s.RoiXMin != 0 || s.RoiXMax != s.FPixels || s.RoiYMin != 0 || s.RoiYMax != s.SPixels {
			t.Errorf("%q: default ROI %d %d %d %d, want 0 %d 0 %d", tc.args, s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax, s.FPixels, s.SPixels)
		}
	}
}

func TestFluenceFromFlux(t *testing.T) {
	s := mustResolve(t, "-flux", "1e12", "-exposure", "0.1", "-beamsize", "0.05")
	bs := rt(0.05) / 1000
	want := rt(1e12) * 0.1 / bs / bs
	if s.Fluence != want || s.Flux != want/0.1*bs*bs {
		t.Errorf("fluence %g flux %g, want %g and %g", s.Fluence, s.Flux, want, want/0.1*bs*bs)
	}
	// Without -flux the fluence stays and the flux follows it.
	s = mustResolve(t, "-fluence", "1e20")
	if s.Fluence != 1e20 || s.Flux != 1e20/1.0*1e-4*1e-4 {
		t.Errorf("fluence %g flux %g", s.Fluence, s.Flux)
	}
}

func TestResolveTwice(t *testing.T) {
	s := mustResolve(t, "-mosaic", "0.5")
	if err := s.Resolve(); err != nil || len(s.Warnings) != 1 {
		t.Errorf("second Resolve: err %v, %d warnings (want 1)", err, len(s.Warnings))
	}
}
