package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMain calls Main and returns its status, stdout and stderr.
func runMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	rc := Main(args, &out, &errb)
	return rc, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGoldenSelfAndPerturbed compares every golden float image with
// itself (correlation 1, exit 0), checks sum and brightest pixel against
// the manifest's float_stats, and compares it with perturbed copies (exit 1).
func TestGoldenSelfAndPerturbed(t *testing.T) {
	g, cases := goldenCases(t)
	dir := t.TempDir()
	for _, c := range cases {
		path := c.path(g, "floatimage.bin")
		dims := Dims{c.Dims.Fast, c.Dims.Slow}
		im, err := Load(path, dims)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		res, err := Run(im, im, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Stats
		if s.Correlation != 1 || s.RMSE != 0 || s.MaxAbsDiff != 0 || s.SumRatio != 1 || !res.Pass {
			t.Errorf("%s vs itself: correlation %g rmse %g max diff %g ratio %g pass %v", c.Name, s.Correlation, s.RMSE, s.MaxAbsDiff, s.SumRatio, res.Pass)
		}
		// The manifest's sum was computed by other software in another
		// order; float64 sums of float32 photons agree to far better than
		// 1e-9 relative (6e6 pixels * 1.1e-16 rounding each is 7e-10).
		fs := c.FloatStats
		if math.Abs(s.SumA-fs.Sum) > 1e-9*math.Abs(fs.Sum) || s.Pixels != fs.NPixels {
			t.Errorf("%s: sum %.17g over %d pixels, manifest %.17g over %d", c.Name, s.SumA, s.Pixels, fs.Sum, fs.NPixels)
		}
		if fs.Max > fs.Min {
			if len(res.PeaksA) == 0 || res.PeaksA[0].Slow != fs.ArgmaxSlow || res.PeaksA[0].Fast != fs.ArgmaxFast || res.PeaksA[0].Value != fs.Max {
				t.Errorf("%s: brightest peak %v, manifest max %g at slow %d fast %d", c.Name, res.PeaksA, fs.Max, fs.ArgmaxSlow, fs.ArgmaxFast)
			}
		}
		if len(im.Pix) > 1<<20 {
			continue // the two 6-megapixel frames: the in-memory checks suffice
		}
		args := []string{path, path}
		if c.Dims.Fast != c.Dims.Slow {
			args = append(args, "-detpixels_x", fmt.Sprint(c.Dims.Fast), "-detpixels_y", fmt.Sprint(c.Dims.Slow))
		}
		if rc, out, errs := runMain(args...); rc != 0 || errs != "" || !strings.Contains(out, "RESULT PASS") {
			t.Errorf("%s vs itself: exit %d stderr %q stdout:\n%s", c.Name, rc, errs, out)
		}
		// Perturbed copies: 2% brighter (sum ratio 0.98) and, where the
		// image has structure, a copy with every third pixel zeroed.
		scaled := make([]float64, len(im.Pix))
		holes := make([]float64, len(im.Pix))
		for i, v := range im.Pix {
			scaled[i] = v * 1.02
			if i%3 != 0 {
				holes[i] = v
			}
		}
		for name, pix := range map[string][]float64{"scaled": scaled, "holes": holes} {
			if fs.Max == fs.Min && name == "scaled" && fs.Sum == 0 {
				continue // an all-zero image is its own scaled copy
			}
			p := writeFile(t, dir, c.Name+"_"+name+".bin", floatBytes(pix...))
			rc, out, errs := runMain(append([]string{path, p}, args[2:]...)...)
			if rc != 1 || errs != "" || !strings.Contains(out, "RESULT FAIL") {
				t.Errorf("%s vs %s copy: exit %d (want 1) stderr %q stdout:\n%s", c.Name, name, rc, errs, out)
			}
		}
	}
}

// TestGoldenSMV compares golden SMV frames with themselves and an integer
// image with its noisy version.
func TestGoldenSMV(t *testing.T) {
	g, cases := goldenCases(t)
	n := 0
	for _, c := range cases {
		if _, ok := c.Outputs["noiseimage.img"]; !ok {
			continue
		}
		n++
		in, noise := c.path(g, "intimage.img"), c.path(g, "noiseimage.img")
		if rc, out, errs := runMain(in, in); rc != 0 || errs != "" || !strings.Contains(out, "(smv, ") {
			t.Errorf("%s intimage vs itself: exit %d stderr %q stdout:\n%s", c.Name, rc, errs, out)
		}
		// The noise image has Poisson noise and no ADC offset: it differs.
		if rc, out, errs := runMain(in, noise, "-peaks", "0"); rc != 1 || errs != "" {
			t.Errorf("%s intimage vs noiseimage: exit %d (want 1) stderr %q stdout:\n%s", c.Name, rc, errs, out)
		}
		// A float image and an SMV frame of the same detector can be compared.
		if rc, _, errs := runMain(c.path(g, "floatimage.bin"), in, "-detpixels_x", fmt.Sprint(c.Dims.Fast), "-detpixels_y", fmt.Sprint(c.Dims.Slow)); rc == 2 {
			t.Errorf("%s floatimage vs intimage: bad input: %s", c.Name, errs)
		}
	}
	if n == 0 {
		t.Skip("no golden case has a noise image")
	}
}

func TestMainOutputs(t *testing.T) {
	dir := t.TempDir()
	a := spots(50, 40, 0.5, [3]float64{10, 10, 100}, [3]float64{30, 40, 60})
	b := spots(50, 40, 0.5, [3]float64{11, 10, 100}, [3]float64{30, 40, 60})
	pa := writeFile(t, dir, "a.bin", floatBytes(a.Pix...))
	pb := writeFile(t, dir, "b.bin", floatBytes(b.Pix...))
	js, pn := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.png")
	rc, out, errs := runMain(pa, "-json", js, pb, "-png", pn, "-detpixels_x", "50", "-detpixels_y", "40", "-peaks", "2", "-corr", "0.5", "-sum_ratio", "0.9", "1.1", "-scale", "asinh")
	if rc != 0 || errs != "" {
		t.Fatalf("exit %d stderr %q stdout:\n%s", rc, errs, out)
	}
	for _, want := range []string{"correlation", "rmse", "max |A-B|", "at slow", "sum ratio A/B", "RESULT PASS", "1.000"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}

	// The JSON holds the same figures as an in-memory Run.
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]any
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatalf("json: %v\n%s", err, data)
	}
	ia, _ := Load(pa, Dims{50, 40})
	ib, _ := Load(pb, Dims{50, 40})
	res, err := Run(ia, ib, Options{Peaks: 2, CorrMin: 0.5, SumRatioMin: 0.9, SumRatioMax: 1.1})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Stats
	for key, want := range map[string]float64{
		"correlation": s.Correlation, "rmse": s.RMSE, "max_abs_diff": s.MaxAbsDiff, "max_abs_b": s.MaxAbsB,
		"max_abs_diff_over_max_abs_b": s.MaxRelDiff, "sum_a": s.SumA, "sum_b": s.SumB, "sum_ratio": s.SumRatio,
		"max_abs_diff_slow": float64(s.MaxAbsDiffSlow), "max_abs_diff_fast": float64(s.MaxAbsDiffFast),
		"peaks_matched": 2, "peak_distance_max_px": 1, "correlation_min": 0.5, "sum_ratio_max": 1.1,
	} {
		if got, ok := j[key].(float64); !ok || got != want {
			t.Errorf("json %s = %v, want %v", key, j[key], want)
		}
	}
	if j["pass"] != true {
		t.Errorf("json pass = %v", j["pass"])
	}
	peaks, _ := j["peaks_a"].([]any)
	if len(peaks) != 2 {
		t.Fatalf("json peaks_a = %v", j["peaks_a"])
	}
	p0 := peaks[0].(map[string]any)
	m0, _ := p0["match"].(map[string]any)
	if p0["slow"] != 10.0 || p0["fast"] != 10.0 || m0 == nil || m0["slow"] != 11.0 || m0["distance_px"] != 1.0 {
		t.Errorf("json first peak %v, want slow 10 fast 10 matched at slow 11, 1 px", p0)
	}

	// The PNG decodes, has three panels' worth of width, and no temporary
	// files are left behind.
	f, err := os.Open(pn)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pic, err := png.Decode(f)
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	if w := pic.Bounds().Dx(); w < 3*50*(panelTarget/50) {
		t.Errorf("png width %d, want at least three %d-px panels", w, 50*(panelTarget/50))
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestMainBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.bin", floatBytes(1, 2, 3, 4))                // 2x2
	wide := writeFile(t, dir, "wide.bin", floatBytes(1, 2, 3, 4, 5, 6, 7, 8, 9)) // 3x3
	odd := writeFile(t, dir, "odd.bin", floatBytes(1, 2, 3))
	short := writeFile(t, dir, "short.bin", floatBytes(1, 2, 3, 4)[:15])
	garbage := writeFile(t, dir, "garbage.img", []byte("{\nHEADER_BYTES=nonsense\n"+strings.Repeat("x", 600)))
	smv := writeFile(t, dir, "frame.img", smvBytes(3, 3, "", 1, 2, 3, 4, 5, 6, 7, 8, 9))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{good, filepath.Join(dir, "nope.bin")}, "nope.bin"},
		{"wrong file size", []string{good, short}, "not a whole number of float32"},
		{"wrong size for detpixels", []string{good, wide, "-detpixels", "2"}, "want 16 for 2x2"},
		{"not square", []string{odd, odd}, "not a square image"},
		{"garbage header", []string{garbage, good}, "garbage.img"},
		{"mismatched dims", []string{good, wide}, "image dimensions differ"},
		{"smv vs float dims", []string{smv, good}, "image dimensions differ"},
		{"unknown option", []string{good, good, "-frobnicate"}, `unknown option "-frobnicate"`},
		{"one file", []string{good}, "need two images"},
		{"three files", []string{good, good, good}, "need two images"},
		{"roi outside", []string{good, good, "-roi", "0", "2", "0", "1"}, "outside the 2x2 image"},
		{"roi short", []string{good, good, "-roi", "0", "1"}, "needs 4 value"},
		{"roi not a number", []string{good, good, "-roi", "0", "x", "0", "1"}, `bad value "x"`},
		{"bad corr", []string{good, good, "-corr", "high"}, `bad value "high"`},
		{"sum_ratio reversed", []string{good, good, "-sum_ratio", "1.1", "0.9"}, "lower bound"},
		{"bad scale", []string{good, good, "-scale", "cubic"}, "cubic"},
		{"detpixels conflict", []string{good, good, "-detpixels", "2", "-detpixels_x", "4"}, "conflicts"},
		{"detpixels zero", []string{good, good, "-detpixels", "0"}, "integer >= 1"},
		{"negative peaks", []string{good, good, "-peaks", "-1"}, "integer >= 0"},
		{"json in missing dir", []string{good, good, "-json", filepath.Join(dir, "no", "such", "dir", "x.json")}, "x.json"},
		{"json is image A", []string{good, wide, "-json", good}, "-json " + good + ": is the input of image A"},
		{"png is image B", []string{good, smv, "-png", smv}, "is the input of image B"},
		{"json is png", []string{good, good, "-json", filepath.Join(dir, "r"), "-png", filepath.Join(dir, "r")}, "is the output of -json"},
	}
	for _, tc := range tests {
		rc, out, errs := runMain(tc.args...)
		if rc != 2 {
			t.Errorf("%s: exit %d, want 2 (stderr %q)", tc.name, rc, errs)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") || !strings.Contains(errs, tc.want) {
			t.Errorf("%s: stderr %q, want one line containing %q", tc.name, errs, tc.want)
		}
		if tc.name != "json in missing dir" && out != "" {
			t.Errorf("%s: stdout %q, want nothing", tc.name, out)
		}
	}
	if b, err := os.ReadFile(good); err != nil || string(b) != string(floatBytes(1, 2, 3, 4)) {
		t.Error("an input image changed")
	}
	// Thresholds decide exit 0 or 1.
	other := writeFile(t, dir, "other.bin", floatBytes(1, 2, 3, 5))
	for _, tc := range []struct {
		args []string
		rc   int
	}{
		{[]string{good, other}, 1},                                            // corr 0.983 < 0.9995 (ratio 0.909 too)
		{[]string{good, other, "-corr", "0.98"}, 1},                           // sum ratio 10/11 still out of bounds
		{[]string{good, other, "-corr", "0.98", "-sum_ratio", "0.9", "1"}, 0}, // both pass
		{[]string{"--corr", "0.99", good, other, "--sum_ratio", "0.9", "1"}, 1},
		{[]string{good, good, "-roi", "1", "1", "0", "1", "-peaks", "0"}, 0},
	} {
		if rc, out, errs := runMain(tc.args...); rc != tc.rc {
			t.Errorf("%v: exit %d, want %d (stderr %q)\n%s", tc.args, rc, tc.rc, errs, out)
		}
	}
}
