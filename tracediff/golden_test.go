package tracediff

import (
	"path/filepath"
	"testing"

	"gobragg/internal/golden"
)

// goldenManifest returns the golden manifest; the test is skipped when the
// golden folder is absent and fails when its manifest cannot be read or
// lists no cases.
func goldenManifest(t testing.TB) *golden.Manifest {
	t.Helper()
	if _, err := golden.Dir(); err != nil {
		t.Skipf("%v: skipping parity test", err)
	}
	m, err := golden.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) == 0 {
		t.Fatal("manifest.json lists no cases")
	}
	return m
}

// goldenTraces returns every trace*.log under the golden folder.
func goldenTraces(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(goldenManifest(t).Dir, "*", "trace*.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("golden data has no trace*.log files: skipping")
	}
	return files
}
