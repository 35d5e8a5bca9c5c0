package compare

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// goldenDir returns the golden data folder ../shared/golden relative to the
// module root, or skips the test when it is absent.
func goldenDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root (go.mod) not found: skipping golden test")
		}
		dir = parent
	}
	g := filepath.Join(dir, "..", "shared", "golden")
	if _, err := os.Stat(filepath.Join(g, "manifest.json")); err != nil {
		t.Skipf("golden data not found at %s: skipping parity test", g)
	}
	return g
}

// goldenCase is the part of a manifest.json case that these tests use.
type goldenCase struct {
	Name    string `json:"name"`
	Outputs map[string]struct {
		StoredAs string `json:"stored_as"`
	} `json:"outputs"`
	Dims struct {
		Fast, Slow int
	} `json:"dims"`
	FloatStats *struct {
		Sum        float64 `json:"sum"`
		Max        float64 `json:"max"`
		Min        float64 `json:"min"`
		ArgmaxSlow int     `json:"argmax_slow"`
		ArgmaxFast int     `json:"argmax_fast"`
		NPixels    int     `json:"n_pixels"`
	} `json:"float_stats"`
}

// goldenCases returns the manifest's cases that have a float image, with
// the golden folder.
func goldenCases(t *testing.T) (string, []goldenCase) {
	t.Helper()
	g := goldenDir(t)
	data, err := os.ReadFile(filepath.Join(g, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Cases []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	var out []goldenCase
	for _, c := range m.Cases {
		if _, ok := c.Outputs["floatimage.bin"]; ok && c.FloatStats != nil {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Skip("manifest lists no float images: skipping")
	}
	return g, out
}

// path returns the stored file of output name in case c.
func (c goldenCase) path(g, name string) string {
	return filepath.Join(g, c.Name, c.Outputs[name].StoredAs)
}
