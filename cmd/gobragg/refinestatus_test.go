package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefineNotConverged: a fit stopped by its iteration limit exits 3
// with the reason in one line on stderr, writes its JSON with "converged":
// false, the reason and no sigma, and prints no standard errors.
func TestRefineNotConverged(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	out := t.TempDir()
	args := append([]string{"refine", "-data", frame, "-refine", "distance,Xbeam,Ybeam,scale", "-max_iter", "1",
		"-strategy", "all", "-out", filepath.Join(out, "r.json")}, refineSim...)
	args = append(args, "-distance", "100.4", "-Xbeam", "7.4", "-Ybeam", "7.3")
	res := runIn(t, out, args...)
	if res.code != 3 {
		t.Fatalf("exit %d, want 3; stderr %q", res.code, res.stderr)
	}
	last := lastLine(res.stderr)
	if !strings.HasPrefix(last, "gobragg refine: did not converge: iteration limit") {
		t.Errorf("last stderr line %q does not give the reason", last)
	}
	if !strings.Contains(res.stdout, "NOT CONVERGED") || strings.Contains(res.stdout, "e-0") {
		t.Errorf("stdout shows standard errors of a fit that did not converge:\n%s", res.stdout)
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Converged  *bool
		Reason     string
		Parameters map[string]map[string]any
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.Converged == nil || *r.Converged || r.Reason != "iteration limit" {
		t.Errorf("converged %v, reason %q", r.Converged, r.Reason)
	}
	for n, p := range r.Parameters {
		if p["sigma"] != nil {
			t.Errorf("%s has sigma %v in a fit that did not converge", n, p["sigma"])
		}
	}
}

// TestRefineConvergedJSON: a converged fit says so, with its goodness of
// fit, the spots found and the stages.
func TestRefineConvergedJSON(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	out := t.TempDir()
	args := append([]string{"refine", "-data", frame, "-refine", "distance,Xbeam,Ybeam,scale", "-out", filepath.Join(out, "r.json")}, refineSim...)
	args = append(args, "-distance", "100.4", "-Xbeam", "7.4", "-Ybeam", "7.3")
	res := mustRun(t, out, args...)
	if !strings.Contains(res.stdout, "goodness of fit: poisson deviance") || !strings.Contains(res.stdout, "converged: ") {
		t.Errorf("stdout lacks the goodness of fit or the status:\n%s", res.stdout)
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Converged     bool
		Reason        string
		GoodnessOfFit struct {
			Statistic        string
			PerPixel         float64 `json:"per_pixel"`
			ExpectedPerPixel float64 `json:"expected_per_pixel"`
			Z                float64
		} `json:"goodness_of_fit"`
		Stages []struct{ Stage string }
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if !r.Converged || !strings.HasPrefix(r.Reason, "converged") || r.GoodnessOfFit.Statistic != "poisson deviance" ||
		!(r.GoodnessOfFit.Z < 5) || len(r.Stages) < 2 {
		t.Errorf("result: %s", raw[:min(len(raw), 2000)])
	}
}

// TestRefineOutputsNotInputs: -out or -png naming a -data image (also
// through a symbolic link) or each other is refused before any work, and
// the image is untouched.
func TestRefineOutputsNotInputs(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	before, err := os.ReadFile(frame)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.img")
	if err := os.Symlink(frame, link); err != nil {
		t.Fatal(err)
	}
	same := filepath.Join(dir, "same.out")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"out is data", []string{"-out", frame}, "is the input of -data"},
		{"png is data", []string{"-png", frame}, "is the input of -data"},
		{"out is a link to data", []string{"-out", link}, "is the input of -data"},
		{"out is png", []string{"-out", same, "-png", same}, "is the output of -out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"refine", "-data", frame, "-refine", "distance"}, tc.args...), refineSim...)
			res := runIn(t, dir, args...)
			if res.code != 2 || !strings.Contains(res.stderr, tc.want) || strings.Count(strings.TrimRight(res.stderr, "\n"), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line saying %q", res.code, res.stderr, tc.want)
			}
			after, err := os.ReadFile(frame)
			if err != nil || string(after) != string(before) {
				t.Error("the data image changed")
			}
			if _, err := os.Stat(same); err == nil {
				t.Error("an output was written")
			}
		})
	}
}
