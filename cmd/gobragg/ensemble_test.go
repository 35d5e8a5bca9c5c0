package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"gobragg/ensemble"
	"gobragg/mtz"
	"gobragg/symop"
)

// ensembleSim is the simulation of the ensemble tests' shots: a 20
// Angstrom P1 cell, 64x64 pixels.
var ensembleSim = []string{"-N", "6", "-lambda", "1", "-distance", "50", "-detpixels", "64", "-pixel", "0.6",
	"-oversample", "1", "-fluence", "4e27"}

// ensembleData writes a table to 2.5 Angstrom and renders n stills with
// it in a new directory, and returns the directory and the true table.
func ensembleData(t *testing.T, n int) (string, map[[3]int]float64) {
	return ensembleDataOf(t, n, ensemble.Friedel{})
}

// ensembleDataOf is ensembleData with amplitudes equal across the
// equivalents of sym.
func ensembleDataOf(t *testing.T, n int, sym ensemble.Symmetry) (string, map[[3]int]float64) {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "true.hkl"))
	if err != nil {
		t.Fatal(err)
	}
	truth := map[[3]int]float64{}
	for h := -8; h <= 8; h++ {
		for k := -8; k <= 8; k++ {
			for l := -8; l <= 8; l++ {
				s2 := float64(h*h+k*k+l*l) / 400
				if s2 > 1/6.25 {
					continue
				}
				rep := sym.Reduce(h, k, l)
				u := unitHash(rep)
				F := 100 * math.Exp(-5*s2) * math.Sqrt(-math.Log(1-0.98*u))
				truth[[3]int{h, k, l}] = F
				fmt.Fprintf(f, "%d %d %d %.4f\n", h, k, l, F)
			}
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"stills", "-n", fmt.Sprint(n), "-template", "shots/shot_#####.img", "-expt", "shots.expt",
		"-seed", "3", "-cell", "20", "20", "20", "90", "90", "90", "-hkl", "true.hkl"}, ensembleSim...)
	if r := runIn(t, dir, args...); r.code != 0 {
		t.Fatalf("stills: exit %d: %s", r.code, r.stderr)
	}
	return dir, truth
}

// unitHash maps Miller indices to a pseudo-random number in [0, 1)
// (splitmix64's mixer).
func unitHash(h [3]int) float64 {
	z := uint64(h[0]+1000)<<40 ^ uint64(h[1]+1000)<<20 ^ uint64(h[2]+1000)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// readRefined reads an -hklout table.
func readRefined(t *testing.T, path string) map[[3]int][2]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[[3]int][2]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var h [3]int
		var F, sig float64
		if _, err := fmt.Sscan(sc.Text(), &h[0], &h[1], &h[2], &F, &sig); err != nil {
			t.Fatalf("%s: %q: %v", path, sc.Text(), err)
		}
		out[h] = [2]float64{F, sig}
	}
	return out
}

func ensembleCmd(extra ...string) []string {
	return append(append([]string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "8",
		"-hkl", "true.hkl", "-start", "bins"}, ensembleSim...), extra...)
}

// TestEnsembleCommand: 8 shots with their true models refine the table
// from its resolution-bin means to the truth within the stated errors; a
// run stopped by
// -max_iter and resumed from its checkpoint writes the same bytes.
func TestEnsembleCommand(t *testing.T) {
	dir, truth := ensembleData(t, 8)
	r := runIn(t, dir, ensembleCmd("-hklout", "refined.hkl")...)
	if r.code != 0 {
		t.Fatalf("ensemble: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	refined := readRefined(t, filepath.Join(dir, "refined.hkl"))
	var fit, tru, pulls []float64
	for h, v := range refined {
		if !(v[1] > 0) {
			t.Errorf("%v: sigma %v", h, v[1])
		}
		fit = append(fit, v[0])
		tru = append(tru, truth[h])
		pulls = append(pulls, (v[0]-truth[h])/v[1])
	}
	if len(fit) < 100 {
		t.Fatalf("%d amplitudes refined, want at least 100:\n%s", len(fit), r.stdout)
	}
	// The weakest refined reflections are measured once at I/sigma(I) near
	// 3 (F/sigma(F) near 6), so 8 shots give CC near 0.99, not above it;
	// the pulls say whether the errors are the stated ones.
	if cc := stat.Correlation(fit, tru, nil); cc < 0.98 {
		t.Errorf("CC with the true table %.4f over %d reflections, want >= 0.98", cc, len(fit))
	}
	if mean, sd := stat.MeanStdDev(pulls, nil); math.Abs(mean) > 0.2 || sd < 0.8 || sd > 1.3 {
		t.Errorf("pulls (F - true) / SIGF: mean %.3f, standard deviation %.3f; want |mean| <= 0.2, 0.8..1.3", mean, sd)
	}
	// Stopped after one epoch of 5 iterations, then resumed.
	r = runIn(t, dir, ensembleCmd("-hklout", "resumed.hkl", "-epoch", "5", "-max_iter", "5", "-checkpoint", "ck.json")...)
	if r.code != 3 {
		t.Fatalf("a run of 5 iterations: exit %d, want 3 (not converged)\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "resumed.hkl")); err == nil {
		t.Error("a run that did not converge wrote -hklout")
	}
	var ck map[string]any
	if data, err := os.ReadFile(filepath.Join(dir, "ck.json")); err != nil || json.Unmarshal(data, &ck) != nil || ck["epoch"] != 1.0 {
		t.Fatalf("checkpoint after one epoch: %v %v", ck, err)
	}
	full := ensembleCmd("-hklout", "resumed.hkl", "-epoch", "5", "-checkpoint", "ck.json")
	r = runIn(t, dir, append(full, "-resume")...)
	if r.code != 0 {
		t.Fatalf("resumed: exit %d\n%s", r.code, r.stderr)
	}
	r2 := runIn(t, dir, ensembleCmd("-hklout", "straight.hkl", "-epoch", "5", "-checkpoint", "ck2.json")...)
	if r2.code != 0 {
		t.Fatalf("uninterrupted: exit %d\n%s", r2.code, r2.stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "resumed.hkl"))
	b, _ := os.ReadFile(filepath.Join(dir, "straight.hkl"))
	if string(a) != string(b) || len(a) == 0 {
		t.Errorf("the resumed run's table differs from the uninterrupted one's")
	}
}

// p212121 are the operators of P 21 21 21 as gemmi prints them.
const p212121 = "x,y,z\n-x+1/2,-y,z+1/2\nx+1/2,-y+1/2,-z\n-x,y+1/2,-z+1/2\n"

// TestEnsembleSymmetryMTZ: with the operators of P 21 21 21 the
// equivalents share one amplitude, the refined table matches the truth,
// and the MTZ holds the -hklout values, the cell and the space group.
func TestEnsembleSymmetryMTZ(t *testing.T) {
	g, err := symop.ReadGroup(strings.NewReader(p212121), "P212121")
	if err != nil {
		t.Fatal(err)
	}
	dir, truth := ensembleDataOf(t, 6, ensemble.Group{G: g})
	if err := os.WriteFile(filepath.Join(dir, "p212121.txt"), []byte(p212121), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "6",
		"-hkl", "true.hkl", "-start", "bins", "-symops", "p212121.txt", "-spacegroup", "P 21 21 21",
		"-spacegroup_number", "19", "-hklout", "refined.hkl", "-mtzout", "refined.mtz", "-halves"}
	r := runIn(t, dir, append(args, ensembleSim...)...)
	if r.code != 0 {
		t.Fatalf("ensemble: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var half float64
	var both int
	if i := strings.Index(r.stdout, "\nCC1/2 "); i < 0 {
		t.Errorf("-halves printed no CC1/2:\n%s", r.stdout)
	} else if _, err := fmt.Sscanf(r.stdout[i+1:], "CC1/2 %g over the %d", &half, &both); err != nil || half < 0.9 || both < 10 {
		t.Errorf("CC1/2 %g over %d amplitudes (%v), want >= 0.9 over at least 10:\n%s", half, both, err, r.stdout)
	}
	refined := readRefined(t, filepath.Join(dir, "refined.hkl"))
	var fit, tru []float64
	for h, v := range refined {
		if asu := g.ASU(h, false); asu != h {
			t.Errorf("%v is refined, but its representative is %v", h, asu)
		}
		fit = append(fit, v[0])
		tru = append(tru, truth[h])
	}
	// Equivalents pool the shots' measurements: CC 0.99 from 6 shots.
	if cc := stat.Correlation(fit, tru, nil); len(fit) < 50 || cc < 0.99 {
		t.Errorf("%d amplitudes refined with CC %.4f to the truth, want at least 50 and >= 0.99", len(fit), cc)
	}
	f, err := mtz.Read(filepath.Join(dir, "refined.mtz"))
	if err != nil {
		t.Fatal(err)
	}
	if f.SpaceGroup != "P 21 21 21" || f.SpaceGroupNumber != 19 || len(f.Group.Ops) != 4 {
		t.Errorf("MTZ space group %q %d with %d operators", f.SpaceGroup, f.SpaceGroupNumber, len(f.Group.Ops))
	}
	for i, want := range []float64{20, 20, 20, 90, 90, 90} {
		// The cell is the first shot's, rotated: rounding only.
		if math.Abs(f.Cell[i]-want) > 1e-6 {
			t.Errorf("MTZ cell %v, want 20 20 20 90 90 90", f.Cell)
			break
		}
	}
	if len(f.Reflections) != len(refined) {
		t.Fatalf("MTZ has %d reflections, -hklout %d", len(f.Reflections), len(refined))
	}
	for _, rf := range f.Reflections {
		v := refined[[3]int{rf.H, rf.K, rf.L}]
		// MTZ stores float32; -hklout prints 6 digits.
		if math.Abs(rf.F-v[0]) > 1e-5*v[0] || math.Abs(rf.SigF-v[1]) > 1e-5*v[1] {
			t.Errorf("%d %d %d: MTZ %g %g, -hklout %g %g", rf.H, rf.K, rf.L, rf.F, rf.SigF, v[0], v[1])
		}
	}
}

// TestEnsembleRefusals: bad inputs exit 2 with one line and write nothing.
func TestEnsembleRefusals(t *testing.T) {
	dir, _ := ensembleData(t, 3)
	// A list whose third shot has a cell 10 % longer.
	data, err := os.ReadFile(filepath.Join(dir, "shots.expt"))
	if err != nil {
		t.Fatal(err)
	}
	var list map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	c := list["crystal"].([]any)[2].(map[string]any)
	for _, key := range []string{"real_space_a", "real_space_b", "real_space_c"} {
		v := c[key].([]any)
		for i := range v {
			v[i] = v[i].(float64) * 1.1
		}
	}
	other, _ := json.Marshal(list)
	if err := os.WriteFile(filepath.Join(dir, "cells.expt"), other, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notgroup.txt"), []byte("x,y,z\n-x,y,z+1/3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "low.hkl"), []byte("0 0 1 10\n1 0 0 10\n0 1 0 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := func(extra ...string) []string {
		a := []string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "3", "-hkl", "true.hkl"}
		a = append(a, ensembleSim...)
		return append(a, extra...)
	}
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"-shots", []string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "0", "-hkl", "true.hkl"}},
		{"cell differs from shot 1's by 9.1 %", append(base(), "-expt_in", "cells.expt")},
		{"predicts no spot (does the -hkl table hold its reflections?)", append(base(), "-hkl", "low.hkl")},
		{"no experiment has the image shots/shot_00004.img", []string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "4", "-hkl", "true.hkl"}},
		{"-resume: give the -checkpoint", append(base(), "-resume")},
		{"-resume: checkpoint: open none.json", append(base(), "-resume", "-checkpoint", "none.json")},
		{"-start", append(base(), "-start", "mean")},
		{"-expt_index", append(base(), "-expt_index", "1")},
		{"the symmetry operators are not a group", append(base(), "-symops", "notgroup.txt")},
		{"-mtzout: with -symops give the space group", append(base(), "-symops", "notgroup.txt", "-mtzout", "x.mtz")},
		{"-spacegroup: give its operators", append(base(), "-spacegroup", "P 1")},
	} {
		// The later -expt_in or -hkl of a case wins, as on the command line.
		expectRefused(t, dir, tc.want, tc.args...)
	}
	// A shot whose image cannot be read.
	if err := os.Remove(filepath.Join(dir, "shots", "shot_00002.img")); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, dir, "-data: shot 2", base()...)
}

// TestEnsembleResults: -results gives each shot its per-shot refined
// values, leaves out a shot whose fit did not converge, and refuses
// files that are not refine's.
func TestEnsembleResults(t *testing.T) {
	dir, _ := ensembleData(t, 4)
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ok := `{"converged": true, "parameters": {"scale": {"value": 1, "unit": "counts/photon"}, "distance": {"value": 50, "unit": "mm"}}}`
	write("res/shot_00001.json", ok)
	write("res/shot_00002.json", `{"converged": false, "reason": "iteration limit", "parameters": {"scale": {"value": 3}}}`)
	write("res/shot_00003.json", ok)
	write("res/shot_00004.json", ok)
	args := append([]string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "4",
		"-hkl", "true.hkl", "-results", "res/shot_#####.json"}, ensembleSim...)
	r := runIn(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"1 shot(s) left out: their per-shot refinement did not converge (2)", "3 shots on 1 rank(s)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	write("bad/shot_00001.json", `{"parameters": {}}`)
	write("unknown/shot_00001.json", `{"converged": true, "parameters": {"panel3_dist": {"value": 1}}}`)
	write("none/shot_00001.json", `{"converged": false, "parameters": {}}`)
	for _, tc := range []struct{ template, want string }{
		{"bad/shot_#####.json", "is not a gobragg refine -out file"},
		{"unknown/shot_#####.json", "-results: shot 1: panel3_dist is not a parameter of this run"},
		{"none/shot_#####.json", "-results: no per-shot refinement of shots 1-1 converged"},
		{"missing/shot_#####.json", "-results: shot 1: open"},
	} {
		a := append([]string{"ensemble", "-expt_in", "shots.expt", "-data", "shots/shot_#####.img", "-shots", "1",
			"-hkl", "true.hkl", "-results", tc.template}, ensembleSim...)
		expectRefused(t, dir, tc.want, a...)
	}
}
