package compare

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"gobragg/internal/golden"
)

// floatStats is a case's float_stats entry of manifest.json, which
// golden.Case does not carry.
type floatStats struct {
	Sum        float64 `json:"sum"`
	Max        float64 `json:"max"`
	Min        float64 `json:"min"`
	ArgmaxSlow int     `json:"argmax_slow"`
	ArgmaxFast int     `json:"argmax_fast"`
	NPixels    int     `json:"n_pixels"`
}

// goldenCase is a manifest case with its float_stats.
type goldenCase struct {
	*golden.Case
	FloatStats *floatStats
}

// goldenCases returns the manifest's cases that have a float image, with
// the golden folder.
func goldenCases(t *testing.T) (string, []goldenCase) {
	t.Helper()
	m := golden.Require(t)
	data, err := os.ReadFile(filepath.Join(m.Dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		Cases []struct {
			FloatStats *floatStats `json:"float_stats"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &stats); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if len(stats.Cases) != len(m.Cases) {
		t.Fatalf("manifest.json: %d cases with float_stats entries, %d cases", len(stats.Cases), len(m.Cases))
	}
	var out []goldenCase
	for i := range m.Cases {
		c, fs := &m.Cases[i], stats.Cases[i].FloatStats
		if _, ok := c.Outputs["floatimage.bin"]; ok && fs != nil {
			out = append(out, goldenCase{c, fs})
		}
	}
	if len(out) == 0 {
		t.Skip("manifest lists no float images: skipping")
	}
	return m.Dir, out
}

// path returns the stored file of output name in case c.
func (c goldenCase) path(g, name string) string {
	return filepath.Join(g, c.Name, c.Outputs[name].StoredAs)
}
