package sim

import (
	"bytes"
	"testing"
)

// FuzzCheckStol: the -stol/-4stol/-Q table reader takes users' files: an
// error or nil, never a panic.
func FuzzCheckStol(f *testing.F) {
	f.Add([]byte("0.1 10\n0.2 5\n"))
	f.Add([]byte("# q F\n0.1,10;0.2:5!\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = checkStol(bytes.NewReader(data), "fuzz.stol")
	})
}
