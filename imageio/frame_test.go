package imageio

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// frameFiles returns one 3x2 image in every format DecodeFrame reads.
func frameFiles(t testing.TB) map[string][]byte {
	t.Helper()
	var smv, cbf, flt, gz bytes.Buffer
	require.NoError(t, WriteSMV(&smv, SMVHeader{SizeFast: 3, SizeSlow: 2, OscStartDeg: 1.5, OscRangeDeg: 0.25}, []uint16{40, 41, 42, 43, 44, 65535}))
	require.NoError(t, WriteCBF(&cbf, CBFHeader{SizeFast: 3, SizeSlow: 2, PixelSizeM: 1e-4, DistanceM: 0.1, WavelengthA: 1}, []int32{0, 70000, -1, 3, 2, 1}))
	require.NoError(t, WriteFloat32(&flt, []float32{1, 2, 3, 4, 5, 6.5}))
	zw := gzip.NewWriter(&gz)
	zw.Write(smv.Bytes())
	require.NoError(t, zw.Close())
	return map[string][]byte{"smv": smv.Bytes(), "cbf": cbf.Bytes(), "float32": flt.Bytes(), "gzip smv": gz.Bytes()}
}

func TestDecodeFrame(t *testing.T) {
	files := frameFiles(t)
	tests := []struct {
		file, format string
		dims         Dims
		pix          []float64
	}{
		{"smv", "smv", Dims{}, []float64{40, 41, 42, 43, 44, 65535}},
		{"gzip smv", "smv", Dims{}, []float64{40, 41, 42, 43, 44, 65535}},
		{"cbf", "cbf", Dims{}, []float64{0, 70000, -1, 3, 2, 1}},
		{"float32", "float32", Dims{Fast: 3}, []float64{1, 2, 3, 4, 5, 6.5}},
		{"float32", "float32", Dims{Fast: 3, Slow: 2}, []float64{1, 2, 3, 4, 5, 6.5}},
	}
	for _, tc := range tests {
		fr, err := DecodeFrame(files[tc.file], "x.img", tc.dims)
		require.NoError(t, err, tc.file)
		require.Equal(t, tc.format, fr.Format, tc.file)
		require.Equal(t, [2]int{3, 2}, [2]int{fr.Fast, fr.Slow}, tc.file)
		require.Equal(t, tc.pix, fr.Pix, tc.file)
		require.Equal(t, tc.format == "smv", fr.SMV != nil, tc.file)
		require.Equal(t, tc.format == "cbf", fr.CBF != nil, tc.file)
	}
	fr, err := DecodeFrame(files["smv"], "x.img", Dims{})
	require.NoError(t, err)
	v, ok := fr.SMV.Value("OSC_RANGE")
	require.True(t, ok)
	require.Equal(t, 0.25, v)
}

func TestDecodeFrameErrors(t *testing.T) {
	files := frameFiles(t)
	damaged := bytes.Clone(files["cbf"])
	damaged[bytes.Index(damaged, cbfBinaryStart)+len(cbfBinaryStart)] ^= 1
	tests := []struct {
		name string
		data []byte
		dims Dims
		want string
	}{
		{"float of another size", files["float32"], Dims{Fast: 4, Slow: 4}, "neither an SMV nor a miniCBF frame nor a raw float32 image of 4x4 pixels: 24 bytes (6 floats), want 64"},
		{"text", []byte("hello world\n"), Dims{}, "not a square image"},
		{"damaged cbf", damaged, Dims{}, "cbf x.img: the binary section's MD5 digest"},
		{"damaged gzip", files["gzip smv"][:20], Dims{}, "gzip"},
		{"negative dims", files["float32"], Dims{Fast: -1}, "negative dimensions"},
	}
	for _, tc := range tests {
		_, err := DecodeFrame(tc.data, "x.img", tc.dims)
		require.ErrorContains(t, err, tc.want, tc.name)
		require.ErrorContains(t, err, "x.img", tc.name)
	}
}

func TestReadFrameBoundsAStream(t *testing.T) {
	_, err := ReadFrame("/dev/zero", Dims{})
	require.ErrorContains(t, err, "image /dev/zero: more than 67108864 bytes (not an image file?)")
	path := filepath.Join(t.TempDir(), "frame.cbf")
	require.NoError(t, os.WriteFile(path, frameFiles(t)["cbf"], 0o644))
	fr, err := ReadFrame(path, Dims{})
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(fr.Name, "frame.cbf"))
	require.Equal(t, "cbf", fr.Format)
	require.Equal(t, []float64{0, 70000, -1, 3, 2, 1}, fr.Pix)
}

// FuzzDecodeFrame: DecodeFrame takes users' image files (compare, refine
// -data, gradient -target): whatever the bytes and dimensions, a frame
// whose pixel count is its size, with the header of its format, or an
// error, never a panic.
func FuzzDecodeFrame(f *testing.F) {
	for _, data := range frameFiles(f) {
		f.Add(data, uint8(3), uint8(2))
		f.Add(data, uint8(0), uint8(0))
	}
	f.Add(make([]byte, 24), uint8(0), uint8(3))
	for _, data := range append(fuzzSeeds(f, "smv"), fuzzSeeds(f, "cbf")...) {
		f.Add(data, uint8(0), uint8(0))
	}
	var bomb bytes.Buffer // a raw float image of 4x3 pixels and 1 MiB more
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 48+1<<20))
	zw.Close()
	f.Add(bomb.Bytes(), uint8(4), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, fast, slow uint8) {
		fr, err := DecodeFrame(data, "fuzz.img", Dims{Fast: int(fast), Slow: int(slow)})
		if err != nil {
			return
		}
		if len(fr.Pix) != fr.Fast*fr.Slow || fr.Fast <= 0 || fr.Slow <= 0 {
			t.Fatalf("%s frame %dx%d with %d pixels", fr.Format, fr.Fast, fr.Slow, len(fr.Pix))
		}
		if (fr.Format == "smv") != (fr.SMV != nil) || (fr.Format == "cbf") != (fr.CBF != nil) {
			t.Fatalf("%s frame with headers SMV %v CBF %v", fr.Format, fr.SMV != nil, fr.CBF != nil)
		}
	})
}
