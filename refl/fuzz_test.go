package refl

import (
	"bytes"
	"os"
	"testing"
)

// FuzzRead: no input makes Read panic or allocate beyond its input, and
// what it accepts has every decoded column exactly Rows long.
func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile(lcysteine); err == nil {
		f.Add(b)
	}
	f.Add(encode(f, 2, map[string][2]any{"intensity.sum.value": {"double", []any{2, doublesBytes(7, 8)}}}))
	f.Add(encode(f, 1<<40, nil))
	f.Add([]byte{0x93, 0xa1, 'x', 0x01, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := Read(bytes.NewReader(b), "fuzz.refl")
		if err != nil {
			return
		}
		for name, n := range map[string]int{"hkl": len(tab.HKL), "xyzobs": len(tab.XYZObsPx), "xyzcal": len(tab.XYZCalPx),
			"bbox": len(tab.BBox), "panel": len(tab.Panel), "id": len(tab.ID), "I": len(tab.IntensitySum), "flags": len(tab.Flags)} {
			if n != 0 && n != tab.Rows {
				t.Fatalf("%s has %d rows, table %d", name, n, tab.Rows)
			}
		}
	})
}
