package imageio

import (
	"bytes"
	"testing"
)

// FuzzReadCBF: ReadCBF never panics, and what it accepts is consistent: as
// many pixels as the header's dimensions, and the same pixels after writing
// them again.
func FuzzReadCBF(f *testing.F) {
	h := CBFHeader{SizeFast: 4, SizeSlow: 3, PixelSizeM: 1e-4, DistanceM: 0.1, WavelengthA: 1, CountCutoff: 1048575}
	for _, pix := range [][]int32{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {0, 200, -40000, 1 << 30, -1 << 31, 5, 6, 7, 8, 9, 10, 1<<31 - 1}} {
		var buf bytes.Buffer
		if err := WriteCBF(&buf, h, pix); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("###CBF: VERSION 1.5\r\n"))
	for _, c := range fuzzSeeds(f, "cbf") {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCBF(bytes.NewReader(data), "fuzz.cbf")
		if err != nil {
			return
		}
		if len(c.Pixels) != c.Width*c.Height {
			t.Fatalf("%d pixels for %dx%d", len(c.Pixels), c.Width, c.Height)
		}
		var buf bytes.Buffer
		if err := WriteCBF(&buf, CBFHeader{SizeFast: c.Width, SizeSlow: c.Height, PixelSizeM: 1e-4}, c.Pixels); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCBF(&buf, "again.cbf")
		if err != nil {
			t.Fatalf("rewritten frame unreadable: %v", err)
		}
		for i := range c.Pixels {
			if back.Pixels[i] != c.Pixels[i] {
				t.Fatalf("pixel %d: %d became %d", i, c.Pixels[i], back.Pixels[i])
			}
		}
	})
}
