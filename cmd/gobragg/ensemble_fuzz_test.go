package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzShotResults: any -results file gives a shot's values, a shot left
// out, or a bad-input error (exit 2), never a panic.
func FuzzShotResults(f *testing.F) {
	for _, seed := range []string{
		`{"converged": true, "parameters": {"scale": {"value": 1}, "distance": {"value": 50}}}`,
		`{"converged": false, "parameters": {}}`,
		`{"parameters": {}}`, `{"converged": true, "parameters": {"x": {}}}`, `[1]`, ``, `{"converged": "yes"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "r_1.json"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ids, values, skipped, err := shotResults(filepath.Join(dir, "r_#.json"), 1, 1)
		var ue *usageError
		switch {
		case err != nil:
			if !errors.As(err, &ue) {
				t.Fatalf("error %v is not a bad-input error", err)
			}
		case len(ids) != 1 || len(skipped) != 0 || values[1] == nil:
			t.Fatalf("one converged shot gave ids %v, skipped %v, values %v", ids, skipped, values)
		}
	})
}
