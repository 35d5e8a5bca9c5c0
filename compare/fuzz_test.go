package compare

import (
	"bytes"
	"compress/gzip"
	"strings"
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
	// Hostile headers: sizes far above any detector or the file, and a
	// gzip bomb (a valid frame, then 1 MiB of zeros).
	var cbf bytes.Buffer
	if err := imageio.WriteCBF(&cbf, imageio.CBFHeader{SizeFast: 4, SizeSlow: 3}, make([]int32, 12)); err != nil {
		f.Fatal(err)
	}
	for _, r := range []*strings.Replacer{
		strings.NewReplacer("Elements: 12", "Elements: 10000000000", "Fastest-Dimension: 4", "Fastest-Dimension: 100000", "Second-Dimension: 3", "Second-Dimension: 100000"),
		strings.NewReplacer("Elements: 12", "Elements: 281474943156225", "Fastest-Dimension: 4", "Fastest-Dimension: 16777215", "Second-Dimension: 3", "Second-Dimension: 16777215"),
		strings.NewReplacer("Elements: 12", "Elements: 1600000000", "Fastest-Dimension: 4", "Fastest-Dimension: 40000", "Second-Dimension: 3", "Second-Dimension: 40000"),
	} {
		f.Add([]byte(r.Replace(cbf.String())), uint8(0), uint8(0))
	}
	f.Add([]byte(strings.NewReplacer("SIZE1=2;", "SIZE1=16777215;", "SIZE2=2;", "SIZE2=16777215;").Replace(smv.String())), uint8(0), uint8(0))
	f.Add([]byte(strings.NewReplacer("SIZE1=2;", "SIZE1=40000;", "SIZE2=2;", "SIZE2=40000;").Replace(smv.String())), uint8(0), uint8(0))
	var bomb bytes.Buffer
	zw = gzip.NewWriter(&bomb)
	zw.Write(smv.Bytes())
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	f.Add(bomb.Bytes(), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, fast, slow uint8) {
		_, _ = Decode(data, "fuzz.img", Dims{Fast: int(fast), Slow: int(slow)})
	})
}
