package compare

import (
	"bytes"
	"compress/gzip"
	"testing"

	"gobragg/imageio"
)

// FuzzDecode: Decode takes users' image files (compare, gradient -target):
// an image or an error, never a panic, whatever the bytes and dimensions.
func FuzzDecode(f *testing.F) {
	var smv bytes.Buffer
	if err := imageio.WriteSMV(&smv, imageio.SMVHeader{SizeFast: 2, SizeSlow: 2, PixelSizeMM: 0.1}, []uint16{1, 2, 3, 4}); err != nil {
		f.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(make([]byte, 16))
	zw.Close()
	f.Add(smv.Bytes(), uint8(0), uint8(0))
	f.Add(make([]byte, 16), uint8(2), uint8(0))
	f.Add(make([]byte, 24), uint8(0), uint8(3))
	f.Add(gz.Bytes(), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, fast, slow uint8) {
		_, _ = Decode(data, "fuzz.img", Dims{Fast: int(fast), Slow: int(slow)})
	})
}
