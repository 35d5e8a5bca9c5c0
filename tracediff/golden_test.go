package tracediff

import (
	"path/filepath"
	"testing"

	"gobragg/internal/golden"
)

// goldenTraces returns every trace*.log under the golden folder.
func goldenTraces(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(golden.Require(t).Dir, "*", "trace*.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("golden data has no trace*.log files: skipping")
	}
	return files
}
