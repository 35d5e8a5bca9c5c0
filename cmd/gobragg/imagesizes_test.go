package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/imageio"
)

// bombZeros is the gzip member of zeros that bombs repeat: gzip readers
// read concatenated members as one stream, so a 4 GiB bomb is this member
// 64 times, written in milliseconds instead of compressing 4 GiB.
const bombZeros = 64 << 20

// writeBomb writes a gzip file of head followed by gib GiB of zeros (about
// 1.2 MB a GiB) and returns its size.
func writeBomb(t *testing.T, path string, head []byte, zeros []byte, gib int) int64 {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(head)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for range gib * (1 << 30) / bombZeros {
		b.Write(zeros)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return int64(b.Len())
}

// gzipZeros returns one gzip member holding bombZeros zero bytes.
func gzipZeros(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range bombZeros / len(zeros) {
		zw.Write(zeros)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHostileImageSizes: image files whose headers claim sizes no detector
// has or the file does not hold, and gzip bombs, given to every command
// that reads a measured image (compare, refine -data, gradient -target;
// -img and -mask for SMV), are refused with one line naming the file and
// the size, exit status 2, nothing written and little memory (the issue's
// probe: out of memory, or makeslice: len out of range, in all three).
func TestHostileImageSizes(t *testing.T) {
	dir := t.TempDir()
	// Valid 64x48 frames (tinyCrystal's detector) to make hostile.
	var smv, cbf bytes.Buffer
	if err := imageio.WriteSMV(&smv, imageio.SMVHeader{SizeFast: 64, SizeSlow: 48, PixelSizeMM: 0.4, DistanceMM: 60, WavelengthA: 1}, make([]uint16, 64*48)); err != nil {
		t.Fatal(err)
	}
	if err := imageio.WriteCBF(&cbf, imageio.CBFHeader{SizeFast: 64, SizeSlow: 48, PixelSizeM: 4e-4, DistanceM: 0.06, WavelengthA: 1}, make([]int32, 64*48)); err != nil {
		t.Fatal(err)
	}
	cbfWith := func(elements, fast, slow string) []byte {
		return []byte(strings.NewReplacer("Elements: 3072", "Elements: "+elements,
			"Fastest-Dimension: 64", "Fastest-Dimension: "+fast, "Second-Dimension: 48", "Second-Dimension: "+slow).Replace(cbf.String()))
	}
	smvWith := func(size1, size2 string) []byte {
		return []byte(strings.NewReplacer("SIZE1=64;", "SIZE1="+size1+";", "SIZE2=48;", "SIZE2="+size2+";").Replace(smv.String()))
	}
	files := map[string][]byte{
		"elements_1e10.cbf": cbfWith("10000000000", "100000", "100000"),
		"elements_2e14.cbf": cbfWith("281474943156225", "16777215", "16777215"),
		"only_elements.cbf": cbfWith("10000000000", "64", "48"),
		"elements_16e8.cbf": cbfWith("1600000000", "40000", "40000"),
		"size_16777215.img": smvWith("16777215", "16777215"),
		"size_40000.img":    smvWith("40000", "40000"),
	}
	for name, data := range files {
		if bytes.Equal(data, smv.Bytes()) || bytes.Equal(data, cbf.Bytes()) {
			t.Fatalf("%s: the header was not changed", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Gzip bombs: 4 GiB of zeros, alone (the issue's) and after a valid
	// frame, so that the claim is small and the data run on.
	zeros := gzipZeros(t)
	for _, b := range []struct {
		name string
		head []byte
	}{{"zeros.gz", nil}, {"smv_bomb.img.gz", smv.Bytes()}, {"cbf_bomb.cbf.gz", cbf.Bytes()}} {
		if size := writeBomb(t, filepath.Join(dir, b.name), b.head, zeros, 4); size > 8<<20 {
			t.Fatalf("%s: %d bytes, more than a bomb needs", b.name, size)
		}
	}

	cases := []struct {
		file string
		want string
	}{
		{"elements_1e10.cbf", "cbf elements_1e10.cbf: header X-Binary-Size-Fastest/Second-Dimension give 100000x100000 pixels (1e+10), more than the 2147483647 a detector may have"},
		{"elements_2e14.cbf", "cbf elements_2e14.cbf: header X-Binary-Size-Fastest/Second-Dimension give 16777215x16777215 pixels (2.81475e+14), more than the 2147483647 a detector may have"},
		{"only_elements.cbf", "cbf only_elements.cbf: 10000000000 elements for a 64x48 image"},
		{"elements_16e8.cbf", "cbf elements_16e8.cbf: X-Binary-Size 3072 cannot hold 1600000000 byte-offset elements (1 to 15 bytes each)"},
		{"size_16777215.img", "smv size_16777215.img: header SIZE1/SIZE2 give 16777215x16777215 pixels (2.81475e+14), more than the 2147483647 a detector may have"},
		{"size_40000.img", "smv size_40000.img: truncated: header SIZE1/SIZE2 give 40000x40000 pixels, 3200000000 bytes (2 bytes a pixel) after the 512-byte header, but the file has 6662 bytes"},
		{"smv_bomb.img.gz", "smv smv_bomb.img.gz: header SIZE1 gives 64x48 pixels (6144 bytes after the 512-byte header), but the file holds more data"},
		{"cbf_bomb.cbf.gz", "cbf cbf_bomb.cbf.gz: more than 1048576 bytes follow the 3072 bytes of X-Binary-Size"},
		// With the model's detector (refine, gradient) the bomb is read
		// 4*64*48 bytes and one more.
		{"zeros.gz", "image zeros.gz is neither an SMV nor a miniCBF frame nor a raw float32 image of 64x48 pixels: more than 12288 bytes"},
	}
	model := strings.Fields(tinyCrystal)
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			if c.file != "zeros.gz" {
				expectRefused(t, dir, c.want, "compare", c.file, c.file)
			}
			expectRefused(t, dir, c.want, append([]string{"refine", "-data", c.file, "-refine", "distance"}, model...)...)
			expectRefused(t, dir, c.want, append([]string{"gradient", "-wrt", "distance", "-target", c.file}, model...)...)
			if strings.HasSuffix(c.file, ".img") {
				expectRefused(t, dir, c.want, append([]string{"-img", c.file}, model...)...)
				expectRefused(t, dir, c.want, append([]string{"-mask", c.file}, model...)...)
			}
		})
	}
	// compare without dimensions cannot know the size of a raw float
	// image: a gzip one is decompressed as far as a pipe is read.
	expectRefused(t, dir, "float image zeros.gz: more than 67108864 bytes decompressed, and neither a header nor dimensions give the size", "compare", "zeros.gz", "zeros.gz")
	expectRefused(t, dir, "image zeros.gz is neither an SMV nor a miniCBF frame nor a raw float32 image of 64x48 pixels: more than 12288 bytes",
		"compare", "zeros.gz", "zeros.gz", "-detpixels_x", "64", "-detpixels_y", "48")
}
