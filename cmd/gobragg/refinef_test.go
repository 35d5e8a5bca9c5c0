package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fTables writes a truth table of every reflection |h|, |k|, |l| <= 10
// (F = 30 + 100 sqrt(Exp), random) and a start whose every F is the
// truth times exp(0.3 g - 0.045), g standard normal (mean 1), into dir.
func fTables(t *testing.T, dir string) (truthPath, startPath string, truth map[[3]int]float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(21, 21))
	truth = map[[3]int]float64{}
	var tb, sb strings.Builder
	for h := -10; h <= 10; h++ {
		for k := -10; k <= 10; k++ {
			for l := -10; l <= 10; l++ {
				F := 30 + 100*math.Sqrt(r.ExpFloat64())
				truth[[3]int{h, k, l}] = F
				fmt.Fprintf(&tb, "%d %d %d %.4f\n", h, k, l, F)
				fmt.Fprintf(&sb, "%d %d %d %.4f\n", h, k, l, F*math.Exp(0.3*r.NormFloat64()-0.045))
			}
		}
	}
	truthPath, startPath = filepath.Join(dir, "truth.hkl"), filepath.Join(dir, "start.hkl")
	for p, s := range map[string]string{truthPath: tb.String(), startPath: sb.String()} {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return truthPath, startPath, truth
}

// TestRefineFCLI refines the structure factors of an SMV noise frame of
// refineSim with a table from a random start, writes -hklout and -out,
// and checks the table: one line "h k l F SIGF" per refined reflection,
// as many as -out counts, the refined F within 3 SIGF of the truth for
// all but a few, and readable again by -hkl.
func TestRefineFCLI(t *testing.T) {
	dir := t.TempDir()
	truthHKL, startHKL, truth := fTables(t, dir)
	frame := noiseFrame(t, dir, "-hkl", truthHKL)
	out := t.TempDir()
	hklout := filepath.Join(out, "refined.hkl")
	args := append([]string{"refine", "-data", frame, "-refine", "F", "-hklout", hklout, "-out", filepath.Join(out, "r.json")}, refineSim...)
	res := mustRun(t, out, append(args, "-hkl", startHKL)...)
	t.Log(res.stdout)
	if !strings.Contains(res.stdout, "structure factors: ") {
		t.Errorf("stdout has no structure-factor summary:\n%s", res.stdout)
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		SF struct {
			Count  int
			HKLOut string
		} `json:"structure_factors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile(hklout)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(table), "\n"), "\n")
	if r.SF.Count != len(lines) || r.SF.HKLOut != hklout || len(lines) < 20 {
		t.Errorf("-out counts %d structure factors (file %q), -hklout has %d lines", r.SF.Count, r.SF.HKLOut, len(lines))
	}
	beyond := 0
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) != 5 {
			t.Fatalf("-hklout line %q: want h k l F SIGF", line)
		}
		var hkl [3]int
		for i := range hkl {
			if hkl[i], err = strconv.Atoi(f[i]); err != nil {
				t.Fatalf("-hklout line %q: %v", line, err)
			}
		}
		F, err1 := strconv.ParseFloat(f[3], 64)
		sig, err2 := strconv.ParseFloat(f[4], 64)
		if err1 != nil || err2 != nil || !(sig > 0) {
			t.Fatalf("-hklout line %q: F or SIGF is not a positive number", line)
		}
		if !(math.Abs(F-truth[hkl]) < 3*sig) {
			beyond++
		}
	}
	// 0.3 % of the pulls lie beyond 3 sigma; a few in a hundred is a bad sign.
	if beyond > len(lines)/20 {
		t.Errorf("%d of %d refined F lie more than 3 SIGF from the truth", beyond, len(lines))
	}
	// The table is an -hkl input again.
	mustRun(t, out, append(append([]string(nil), refineSim...), "-hkl", hklout, "-floatfile", "again.bin", "-nopgm", "-noprogress")...)
}

// TestRefineFBadInput: the structure factors' own mistakes get one clear
// line naming the input, exit 2, and nothing written; the -data and -hkl
// files are left as they were.
func TestRefineFBadInput(t *testing.T) {
	dir := t.TempDir()
	truthHKL, _, _ := fTables(t, dir)
	frame := noiseFrame(t, dir, "-hkl", truthHKL)
	before := map[string][]byte{}
	for _, p := range []string{frame, truthHKL} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		before[p] = b
	}
	withF := []string{"-data", frame, "-refine", "F", "-hkl", truthHKL}
	with := func(more ...string) []string { return append(append([]string(nil), withF...), more...) }
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"hklout names the data", with("-hklout", frame), []string{"-hklout", "-data", "noise.img"}},
		{"hklout names the table", with("-hklout", truthHKL), []string{"-hklout", "-hkl", "truth.hkl"}},
		{"no table", []string{"-data", frame, "-refine", "F"}, []string{"-refine F needs a structure-factor table: give -hkl FILE"}},
		{"scale unrestrained", with("-refine", "scale"), []string{"F and scale are degenerate"}},
		{"no reflection in the fitted pixels", with("-roi", "0", "1", "0", "1"), []string{"no structure factor to refine"}},
		{"restraint sigma 0", with("-restraint", "F=0"), []string{"-restraint", "F=0", "sigma of ln F"}},
		{"restraint with a centre", with("-restraint", "F=100,10"), []string{"-restraint", "want F=S"}},
		{"hklout without F", []string{"-data", frame, "-refine", "distance", "-hklout", "x.hkl"}, []string{"-hklout", "add F to -refine"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string{"refine"}, tc.args...), "-out", filepath.Join(out, "r.json"))
			res := runIn(t, out, append(args, refineSim...)...)
			checkRefused(t, out, res, tc.want)
			for p, b := range before {
				if now, err := os.ReadFile(p); err != nil || !bytes.Equal(now, b) {
					t.Errorf("%s changed (%v)", p, err)
				}
			}
		})
	}
}

// TestRefineFNotConverged: a fit stopped by -max_iter 1 exits 3 and still
// writes -hklout, every SIGF nan (no standard errors), and -out with a
// null median sigma.
func TestRefineFNotConverged(t *testing.T) {
	dir := t.TempDir()
	truthHKL, startHKL, _ := fTables(t, dir)
	frame := noiseFrame(t, dir, "-hkl", truthHKL)
	out := t.TempDir()
	hklout := filepath.Join(out, "refined.hkl")
	args := append([]string{"refine", "-data", frame, "-refine", "F", "-max_iter", "1", "-hklout", hklout,
		"-out", filepath.Join(out, "r.json")}, refineSim...)
	res := runIn(t, out, append(args, "-hkl", startHKL)...)
	if res.code != 3 || !strings.Contains(res.stderr, "did not converge: iteration limit") {
		t.Fatalf("exit %d, stderr %q; want 3 and the iteration limit", res.code, res.stderr)
	}
	table, err := os.ReadFile(hklout)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(table), "\n"), "\n") {
		if f := strings.Fields(line); len(f) != 5 || f[4] != "nan" {
			t.Errorf("-hklout line %q: want h k l F nan", line)
		}
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"median_sigma_over_f": null`) {
		t.Errorf("-out does not give a null median sigma:\n%s", raw)
	}
}
