package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// reflTable writes a msgpack reflection table as dials does, whose nrows
// and column row count may claim more than its bytes hold.
func reflTable(t *testing.T, nrows, colRows uint64, values []float64) []byte {
	t.Helper()
	raw := make([]byte, 8*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	var buf bytes.Buffer
	err := msgpack.NewEncoder(&buf).Encode([]any{"dials::af::reflection_table", 1, map[string]any{
		"identifiers": map[int]string{0: "x"}, "nrows": nrows,
		"data": map[string]any{"intensity.sum.value": []any{"double", []any{colRows, raw}}}}})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHostileReflectionTables: -hkl FILE.refl whose sizes claim more than
// the file holds, or that is not a table, ends with one line and exit 2
// before anything is allocated from the claim.
func TestHostileReflectionTables(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"nrows 2^62", reflTable(t, 1<<62, 2, []float64{1, 2}), "nrows 4611686018427387904 is more than the file's"},
		{"column claims 2^61 rows", reflTable(t, 2, 1<<61, []float64{1, 2}), "16 bytes for 2305843009213693952 rows"},
		{"truncated", reflTable(t, 2, 2, []float64{1, 2})[:60], "refl "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "x.refl"), c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			expectRefused(t, dir, c.want, "-hkl", "x.refl", "-cell", "50", "50", "50", "90", "90", "90", "-N", "2",
				"-detpixels", "8", "-nodump", "-nonoise", "-nopgm", "-noprogress", "-floatfile", "out.bin")
		})
	}
}
