package beam

import (
	"bytes"
	"testing"
)

// ReadSourceFile takes a user's file: sources or an error, never a panic.
func FuzzReadSourceFile(f *testing.F) {
	f.Add([]byte("-10 0 0 1 1e-10\n0 0.1 -10 1\n\n"))
	f.Add([]byte("1,2;3:4!5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ReadSourceFile(bytes.NewReader(data), "fuzz.txt")
	})
}
