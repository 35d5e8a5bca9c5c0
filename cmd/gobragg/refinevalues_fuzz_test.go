package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadRefineValues: any file gives a fit's values or one error line
// naming the file, never a panic. The seeds are the files TestRefineStart,
// TestEnsembleResults and FuzzShotResults accept or refuse.
func FuzzReadRefineValues(f *testing.F) {
	for _, seed := range []string{
		`{"converged": true, "parameters": {"scale": {"value": 1, "unit": "counts/photon"}, "distance": {"value": 50, "unit": "mm"}}}`,
		`{"converged": false, "reason": "iteration limit", "parameters": {"scale": {"value": 3}}}`,
		`{"converged": false, "parameters": {}}`,
		`{"converged": true, "parameters": {"background_2": {"value": 1}}}`,
		`{"converged": true, "parameters": {"distance": {"value": -5}}}`,
		`{"converged": true, "parameters": {"distance": {}}}`,
		`{"converged": true, "parameters": {"x": {"value": null}}}`,
		`{"parameters": {}}`, `{"converged": true}`, `{"converged": "yes"}`,
		"distance 100\n", `[1]`, ``, `{"converged": true, "parameters": {"x": {"value": 1e400}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "r.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		converged, values, err := readRefineValues(path)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q is not one line naming %s", msg, path)
			}
			if converged || values != nil {
				t.Fatalf("error %v came with converged %v, values %v", err, converged, values)
			}
			return
		}
		if values == nil {
			t.Fatal("no error and no values")
		}
	})
}
