package tracediff

import (
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
	if _, err := os.Stat(g); err != nil {
		t.Skipf("golden data not found at %s: skipping parity test", g)
	}
	return g
}

// goldenTraces returns every trace*.log under the golden folder.
func goldenTraces(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(goldenDir(t), "*", "trace*.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("golden data has no trace*.log files: skipping")
	}
	return files
}
