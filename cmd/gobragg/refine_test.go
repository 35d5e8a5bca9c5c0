package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// refineSim is a small experiment for the command-line tests: 48x48
// pixels of 0.3 mm, a 70x80x90 Angstrom cell of 5 cells, 100 mm away.
var refineSim = []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
	"-lambda", "1", "-distance", "100", "-pixel", "0.3", "-detpixels", "48", "-oversample", "1",
	"-misset", "10", "20", "30", "-fluence", "1e29"}

// noiseFrame writes an SMV noise frame (offset 40 ADU) of refineSim into
// dir and returns its path.
func noiseFrame(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	args := append(append([]string(nil), refineSim...), extra...)
	args = append(args, "-noisefile", "noise.img", "-seed", "11", "-nopgm", "-noprogress")
	mustRun(t, dir, args...)
	return filepath.Join(dir, "noise.img")
}

// refineResult is the part of gobragg refine's JSON that tests check.
type refineResult struct {
	Parameters map[string]struct{ Start, Value, Sigma float64 }
	Iterations int
	Pixels     int
	Command    []string
	Version    string
}

func readRefineJSON(t *testing.T, path string) refineResult {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r refineResult
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRefineCLI fits distance and beam centre of an SMV noise frame and
// checks the JSON result against the truth.
func TestRefineCLI(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	out := t.TempDir()
	start := map[string]string{"-distance": "100.4", "-Xbeam": "7.4", "-Ybeam": "7.3"} // truth 100, 7.35, 7.35
	var args []string
	for i := 0; i < len(refineSim); i++ {
		if v, ok := start[refineSim[i]]; ok {
			args = append(args, refineSim[i], v)
			i++
			continue
		}
		args = append(args, refineSim[i])
	}
	args = append([]string{"refine", "-data", frame, "-refine", "distance,Xbeam,Ybeam,scale",
		"-out", filepath.Join(out, "r.json"), "-png", filepath.Join(out, "fit.png")}, args...)
	args = append(args, "-Xbeam", "7.4", "-Ybeam", "7.3")
	res := mustRun(t, out, args...)
	if !strings.Contains(res.stdout, "2304 pixels used") {
		t.Errorf("stdout does not say how many pixels were used:\n%s", res.stdout)
	}
	if !strings.Contains(res.stderr, "iter   1  loss") {
		t.Errorf("stderr has no iteration lines:\n%s", res.stderr)
	}
	r := readRefineJSON(t, filepath.Join(out, "r.json"))
	// stderr is not a terminal: one line per iteration and no bar.
	for k, line := range strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n") {
		if !strings.HasPrefix(line, fmt.Sprintf("iter %3d  loss ", k+1)) || strings.Contains(line, "\r") {
			t.Errorf("stderr line %d is %q, want iteration %d's line (and no bar)", k+1, line, k+1)
		}
	}
	truth := map[string]float64{"distance": 100, "Xbeam": 7.35, "Ybeam": 7.35, "scale": 1}
	for n, want := range truth {
		p := r.Parameters[n]
		if !(math.Abs(p.Value-want) < 3*p.Sigma) {
			t.Errorf("%s = %g +- %g, truth %g", n, p.Value, p.Sigma, want)
		}
	}
	if r.Pixels != 48*48 || r.Iterations == 0 || len(r.Command) < 3 || r.Version == "" {
		t.Errorf("result JSON lacks its bookkeeping: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(out, "fit.png")); err != nil {
		t.Error(err)
	}
}

// TestRefineBadInput: one clear line naming the input, exit 2, nothing written.
func TestRefineBadInput(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	floatFrame := func(name string, n int, v float32) string {
		b := make([]byte, 4*n)
		for i := 0; i < n; i++ {
			u := math.Float32bits(v)
			b[4*i], b[4*i+1], b[4*i+2], b[4*i+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nanFrame := floatFrame("nan.bin", 48*48, float32(math.NaN()))
	negFrame := floatFrame("neg.bin", 48*48, -1)
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("not an image\n"), 0o644)
	// An all-zero mask: the noise frame's header with every pixel 0.
	mask := filepath.Join(dir, "mask.img")
	smv, err := os.ReadFile(frame)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(smv) - 2*48*48; i < len(smv); i++ {
		smv[i] = 0
	}
	if err := os.WriteFile(mask, smv, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"size", []string{"-data", frame, "-refine", "distance", "-detpixels", "40"}, []string{"noise.img", "48x48", "40x40"}},
		{"unknown parameter", []string{"-data", frame, "-refine", "distanse"}, []string{"distanse is unknown", "valid names"}},
		{"unavailable parameter", []string{"-data", frame, "-refine", "mat_11"}, []string{"mat_11 is not a parameter of this run"}},
		{"NaN counts", []string{"-data", nanFrame, "-refine", "distance"}, []string{"nan.bin", "NaN"}},
		{"negative counts", []string{"-data", negFrame, "-refine", "distance"}, []string{"neg.bin", "negative count"}},
		{"all masked", []string{"-data", frame, "-refine", "scale", "-mask", mask}, []string{"no pixel left"}},
		{"restraint sigma", []string{"-data", frame, "-refine", "distance", "-restraint", "distance=100,0"}, []string{"-restraint distance", "sigma must be positive"}},
		{"not an image", []string{"-data", text, "-refine", "distance"}, []string{"notes.txt", "neither an SMV"}},
		{"endless stream", []string{"-data", "/dev/zero", "-refine", "distance"}, []string{"image /dev/zero: more than 67108864 bytes"}},
		{"no data", []string{"-refine", "distance"}, []string{"-data"}},
		{"bad loss", []string{"-data", frame, "-refine", "distance", "-loss", "cauchy"}, []string{"-loss", "cauchy"}},
		{"output is a directory", []string{"-data", frame, "-refine", "distance", "-out", dir}, []string{"-out", "not a regular file"}},
		{"shoebox 0", []string{"-data", frame, "-refine", "distance", "-shoebox", "0"}, []string{"-shoebox", "outside 1..512"}},
		{"shoebox huge", []string{"-data", frame, "-refine", "distance", "-shoebox", "1000000000"}, []string{"-shoebox", "outside 1..512"}},
		{"the same frame twice", []string{"-data", frame + "," + frame, "-refine", "distance"}, []string{"-data", "give each frame once"}},
		{"scale auto with spots", []string{"-data", frame, "-refine", "distance", "-scale", "auto", "-select", "spots"}, []string{"-scale auto", "-select spots"}},
		{"scale neither a number nor auto", []string{"-data", frame, "-refine", "distance", "-scale", "automatic"}, []string{"-scale", "automatic"}},
		{"restraint that holds", []string{"-data", frame, "-refine", "distance", "-restraint", "distance=100,1e-10"}, []string{"-restraint distance", "leave it out of -refine"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"refine"}, tc.args...)
			if !hasOption(tc.args, "-out") {
				args = append(args, "-out", filepath.Join(out, "r.json"), "-png", filepath.Join(out, "fit.png"))
			}
			args = append(args, refineSim...)
			if tc.name == "size" {
				args = append(args, "-detpixels", "40")
			}
			res := runIn(t, out, args...)
			checkRefused(t, out, res, tc.want)
		})
	}
}

// TestRefineGoldenCParity refines distance and beam centre against C
// nanoBragg's float image of mat_scaled_hkl (c-parity mode) from a start
// 0.3 % and a third of a pixel off, and recovers C's values (100 mm,
// 6.45 mm, 6.45 mm) within 3 standard errors. Its N = 10 spots are about
// a pixel wide: a start more than a spot width off can end in a local
// minimum. The data are noise-free, so the Gaussian loss with 1 photon of
// readout noise stands in for Poisson statistics (the Poisson likelihood
// of a photon where the start expects none is 0).
func TestRefineGoldenCParity(t *testing.T) {
	m := goldenOrSkip(t)
	c, ok := m.Case("mat_scaled_hkl")
	if !ok {
		t.Skip("golden case mat_scaled_hkl absent")
	}
	var sim []string
	start := map[string]string{"-distance": "100.3"}
	skip := map[string]bool{"-floatfile": true, "-intfile": true}
	args := absInputs(m.Dir, c.Args)
	for i := 0; i < len(args); i++ {
		switch {
		case skip[args[i]]:
			i++
		case start[args[i]] != "":
			sim = append(sim, args[i], start[args[i]])
			i++
		default:
			sim = append(sim, args[i])
		}
	}
	out := t.TempDir()
	data := filepath.Join(m.Dir, c.Name, c.Outputs["floatimage.bin"].StoredAs)
	cmd := append([]string{"refine", "-mode", "c-parity", "-data", data, "-refine", "distance,Xbeam,Ybeam",
		"-loss", "gaussian", "-readout_noise", "1", "-out", filepath.Join(out, "r.json"), "-Xbeam", "6.49", "-Ybeam", "6.42"}, sim...)
	res := mustRun(t, out, cmd...)
	t.Log(res.stdout)
	r := readRefineJSON(t, filepath.Join(out, "r.json"))
	// -hkl makes Fdump.bin, which refine keeps out of the working directory.
	if files := listDir(t, out); len(files) != 1 || files[0] != "r.json" {
		t.Errorf("wrote %v, want only r.json", files)
	}
	for n, want := range map[string]float64{"distance": 100, "Xbeam": 6.45, "Ybeam": 6.45} {
		p := r.Parameters[n]
		if !(math.Abs(p.Value-want) < 3*p.Sigma) {
			t.Errorf("%s = %.9g +- %.3g, C's value %g", n, p.Value, p.Sigma, want)
		}
	}
}

// TestRefineFullFrameSpots refines a 2463x2527 supervisor-like frame (the
// supervisor case's matrix, structure factors, wavelength and Pilatus
// pixels; spec mode, N = 12, a 3 um water background) from its spot
// shoeboxes only: distance 0.33 mm, beam centre about a pixel, misset
// 0.05 degree and Na 2 cells off. GOBRAGG_LONG=1 (about 15 s with the
// simulation of the frame).
func TestRefineFullFrameSpots(t *testing.T) {
	if os.Getenv("GOBRAGG_LONG") == "" {
		t.Skip("full 6.2-megapixel frame: set GOBRAGG_LONG=1 (make test-long)")
	}
	m := goldenOrSkip(t)
	in := func(name string) string { return filepath.Join(m.Dir, "inputs", name) }
	sim := []string{"-mat", in("A.mat"), "-hkl", in("scaled.hkl"), "-nointerpolate", "-oversample", "1",
		"-exposure", "1", "-flux", "1e20", "-beamsize", "1.0", "-lambda", "0.9768", "-pixel", "0.172",
		"-detpixels_x", "2463", "-detpixels_y", "2527", "-N", "12", "-osc", "0.1", "-phi", "0", "-phisteps", "1", "-water", "3"}
	dir := t.TempDir()
	mustRun(t, dir, append(append([]string(nil), sim...), "-distance", "231.27", "-Xbeam", "217.74", "-Ybeam", "213.91",
		"-noisefile", "noise.img", "-seed", "3", "-nopgm", "-noprogress", "-nointerpolate")...)
	out := t.TempDir()
	start := time.Now()
	args := append([]string{"refine", "-data", filepath.Join(dir, "noise.img"), "-select", "spots",
		"-refine", "distance,Xbeam,Ybeam,misset_x,misset_y,misset_z,Na,scale", "-out", filepath.Join(out, "r.json")}, sim...)
	args = append(args, "-distance", "231.6", "-Xbeam", "217.9", "-Ybeam", "213.8", "-misset", "0.05", "-0.05", "0.05", "-Na", "10")
	res := mustRun(t, out, args...)
	t.Logf("%s(%v)", res.stdout, time.Since(start))
	r := readRefineJSON(t, filepath.Join(out, "r.json"))
	if r.Pixels > 2463*2527/10 {
		t.Errorf("%d pixels fitted: the spot selection should keep a small part of the frame", r.Pixels)
	}
	truth := map[string]float64{"distance": 231.27, "Xbeam": 217.74, "Ybeam": 213.91, "misset_x": 0, "misset_y": 0,
		"misset_z": 0, "Na": 12, "scale": 1}
	for n, want := range truth {
		p := r.Parameters[n]
		if !(math.Abs(p.Value-want) < 3*p.Sigma) {
			t.Errorf("%s = %.9g +- %.3g, truth %g", n, p.Value, p.Sigma, want)
		}
	}
}

// TestRefineWedge fits two SMV frames of a rotation wedge (phi 0-0.5 and
// 0.5-1 degree, taken from each header's OSC_START and OSC_RANGE) with
// shared geometry and one background per frame.
func TestRefineWedge(t *testing.T) {
	dir := t.TempDir()
	sim := []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-lambda", "1", "-pixel", "0.3",
		"-detpixels", "64", "-oversample", "1", "-fluence", "1e28", "-N", "5", "-phisteps", "2", "-water", "0.1"}
	for k, phi := range []string{"0", "0.5"} {
		mustRun(t, dir, append(append([]string(nil), sim...), "-distance", "100", "-misset", "10", "20", "30", "-phi", phi, "-osc", "0.5",
			"-noisefile", fmt.Sprintf("f%d.img", k+1), "-seed", fmt.Sprint(k+1), "-nopgm", "-noprogress")...)
	}
	out := t.TempDir()
	args := append([]string{"refine", "-data", filepath.Join(dir, "f1.img") + "," + filepath.Join(dir, "f2.img"),
		"-refine", "distance,misset_x,misset_z,scale,background", "-out", filepath.Join(out, "r.json")}, sim...)
	args = append(args, "-distance", "100.3", "-misset", "10.05", "20", "29.95", "-background", "1")
	res := mustRun(t, out, args...)
	if !strings.Contains(res.stdout, "8192 pixels used (all pixels, 2 frame(s))") {
		t.Errorf("stdout:\n%s", res.stdout)
	}
	r := readRefineJSON(t, filepath.Join(out, "r.json"))
	for n, want := range map[string]float64{"distance": 100, "misset_x": 10, "misset_z": 30, "background_1": 0, "background_2": 0} {
		p, ok := r.Parameters[n]
		if !ok || !(math.Abs(p.Value-want) < 3*p.Sigma) {
			t.Errorf("%s = %g +- %g (present %v), truth %g", n, p.Value, p.Sigma, ok, want)
		}
	}
}
