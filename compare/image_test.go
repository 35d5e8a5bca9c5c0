package compare

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
)

// floatBytes encodes v as raw little-endian float32.
func floatBytes(v ...float64) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(x)))
	}
	return b
}

// smvBytes builds a minimal SMV file: a 512-byte header and uint16 pixels.
func smvBytes(fast, slow int, header string, pix ...uint16) []byte {
	h := "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\n" + header + "}\f"
	if fast > 0 {
		h = strings.Replace(h, "DIM=2;\n", fmt.Sprintf("DIM=2;\nSIZE1=%d;\nSIZE2=%d;\n", fast, slow), 1)
	}
	b := []byte(h + strings.Repeat(" ", 512-len(h)))
	for _, p := range pix {
		b = binary.LittleEndian.AppendUint16(b, p)
	}
	return b
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestDecode(t *testing.T) {
	six := floatBytes(1, 2, 3, 4, 5, 6.5)
	tests := []struct {
		name       string
		data       []byte
		dims       Dims
		format     string
		fast, slow int
		first      float64 // pixel (0, 0)
		last       float64 // last pixel
	}{
		{"float with both dims", six, Dims{3, 2}, "float32", 3, 2, 1, 6.5},
		{"float with fast only", six, Dims{Fast: 2}, "float32", 2, 3, 1, 6.5},
		{"float with slow only", six, Dims{Slow: 6}, "float32", 1, 6, 1, 6.5},
		{"float square inferred", floatBytes(1, 2, 3, 4, 5, 6, 7, 8, 9), Dims{}, "float32", 3, 3, 1, 9},
		{"float single pixel", floatBytes(-2), Dims{}, "float32", 1, 1, -2, -2},
		{"gzip float", gzipBytes(six), Dims{3, 2}, "float32", 3, 2, 1, 6.5},
		{"smv", smvBytes(3, 2, "", 10, 20, 30, 40, 50, 65535), Dims{}, "smv", 3, 2, 10, 65535},
		{"smv with matching dims", smvBytes(3, 2, "", 10, 20, 30, 40, 50, 60), Dims{3, 2}, "smv", 3, 2, 10, 60},
		{"gzip smv", gzipBytes(smvBytes(2, 1, "", 7, 8)), Dims{}, "smv", 2, 1, 7, 8},
	}
	for _, tc := range tests {
		im, err := Decode(tc.data, "x.bin", tc.dims)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if im.Format != tc.format || im.Fast != tc.fast || im.Slow != tc.slow || len(im.Pix) != tc.fast*tc.slow ||
			im.Pix[0] != tc.first || im.Pix[len(im.Pix)-1] != tc.last {
			t.Errorf("%s: got %s %dx%d first %g last %g, want %s %dx%d first %g last %g", tc.name,
				im.Format, im.Fast, im.Slow, im.Pix[0], im.Pix[len(im.Pix)-1], tc.format, tc.fast, tc.slow, tc.first, tc.last)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	six := floatBytes(1, 2, 3, 4, 5, 6)
	tests := []struct {
		name string
		data []byte
		dims Dims
		want string
	}{
		{"empty", nil, Dims{}, "empty file"},
		{"not whole floats", six[:7], Dims{}, "7 bytes is not a whole number of float32"},
		{"wrong size for dims", six, Dims{4, 4}, "24 bytes (6 floats), want 64 for 4x4"},
		{"not square", six, Dims{}, "6 floats is not a square image"},
		{"fast does not divide", six, Dims{Fast: 4}, "not a multiple of 4"},
		{"negative dims", six, Dims{-1, 2}, "negative"},
		{"smv garbage header", []byte("{\nHEADER_BYTES=garbage;\n}" + strings.Repeat(" ", 600)), Dims{}, "smv x.bin"},
		{"smv no size", smvBytes(0, 0, "", 1, 2), Dims{}, "SIZE1"},
		{"smv truncated", smvBytes(3, 2, "", 1, 2), Dims{}, "truncated"},
		{"smv dims disagree", smvBytes(3, 2, "", 1, 2, 3, 4, 5, 6), Dims{2, 3}, "header says 3x2"},
		{"bad gzip", []byte("\x1f\x8bnot gzip at all"), Dims{}, "gzip"},
	}
	for _, tc := range tests {
		_, err := Decode(tc.data, "x.bin", tc.dims)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.bin") {
			t.Errorf("%s: error %v, want one naming x.bin and containing %q", tc.name, err, tc.want)
		}
	}
}
