package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRefineStart: a fit started from an earlier fit's -out file starts at
// its values, and a file that is not refine's, or names a parameter or
// frame the run lacks, is refused.
func TestRefineStart(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	first := filepath.Join(dir, "first.json")
	base := append([]string{"refine", "-data", frame, "-refine", "distance,scale,background"}, refineSim...)
	mustRun(t, dir, append(base, "-out", first, "-distance", "100.3")...)
	r1 := readRefineJSON(t, first)

	second := filepath.Join(dir, "second.json")
	mustRun(t, dir, append(base, "-out", second, "-distance", "100.3", "-start", first)...)
	r2 := readRefineJSON(t, second)
	for _, n := range []string{"distance", "scale", "background"} {
		if r2.Parameters[n].Start != r1.Parameters[n].Value {
			t.Errorf("%s starts at %v, want the first fit's %v", n, r2.Parameters[n].Start, r1.Parameters[n].Value)
		}
	}

	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"notjson", "distance 100\n", []string{"-start", "is not a gobragg refine -out file"}},
		{"unknown", `{"converged": true, "parameters": {"colour": {"value": 1}}}`, []string{"-start", "colour"}},
		{"frame", `{"converged": true, "parameters": {"background_2": {"value": 1}}}`, []string{"-start", "background_2", "1 given"}},
		{"range", `{"converged": true, "parameters": {"distance": {"value": -5}}}`, []string{"-start", "distance", "physical range"}},
		{"novalue", `{"converged": true, "parameters": {"distance": {}}}`, []string{"-start", "no value of distance"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := write(c.name+".json", c.text)
			out := t.TempDir()
			res := runIn(t, out, append(base, "-out", filepath.Join(out, "r.json"), "-start", start)...)
			checkRefused(t, out, res, c.want)
		})
	}
}
