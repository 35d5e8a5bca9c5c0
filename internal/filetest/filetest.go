// Package filetest helps tests compare the files that two runs wrote.
package filetest

import (
	"os"
	"path/filepath"
	"testing"
)

// ReadGlob returns the contents of the files matching pattern, by base name.
func ReadGlob(t testing.TB, pattern string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}
