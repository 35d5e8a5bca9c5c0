package imageio

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// ReadSMV takes files from users (-img, -mask, compare): whatever the
// bytes, it returns a frame or an error, never panics.
func FuzzReadSMV(f *testing.F) {
	var b bytes.Buffer
	if err := WriteSMV(&b, SMVHeader{SizeFast: 2, SizeSlow: 2, PixelSizeMM: 0.1}, []uint16{1, 2, 3, 4}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte("{\nHEADER_BYTES=512;\nSIZE1=99999999;\nSIZE2=99999999;\n}\f"))
	for _, c := range fuzzSeeds(f, "smv") {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSMV(bytes.NewReader(data), "fuzz.img")
		if err == nil {
			s.Value("PIXEL_SIZE")
		}
	})
}

// fuzzSeeds returns the hostile headers (see hostileHeaders) whose names
// begin with prefix, up to 64 KiB each (the larger ones would slow every
// execution; the unit tests read them), and a gzip bomb of each format:
// a valid frame followed by 1 MiB of zeros.
func fuzzSeeds(f *testing.F, prefix string) [][]byte {
	var seeds [][]byte
	for _, c := range hostileHeaders(f) {
		if strings.HasPrefix(c.name, prefix) && len(c.data) <= 64<<10 {
			seeds = append(seeds, c.data)
		}
	}
	for _, head := range [][]byte{smvClaiming(f), cbfClaiming(f, "", "", "", "")} {
		if !strings.HasPrefix(string(head), map[string]string{"smv": smvMagic, "cbf": cbfMagic}[prefix]) {
			continue
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(head)
		zw.Write(make([]byte, 1<<20))
		zw.Close()
		seeds = append(seeds, gz.Bytes())
	}
	return seeds
}

// FuzzReadFloat32: ReadFloat32 takes raw float images (-floatfile of
// another run): n values or an error, never a panic, whatever the bytes
// and the count asked for, with the reader's length known or not.
func FuzzReadFloat32(f *testing.F) {
	f.Add(make([]byte, 16), 4, false)
	f.Add(make([]byte, 16), 4, true)
	f.Add(make([]byte, 16), MaxPixels+1, true)
	f.Add(make([]byte, 17), 4, false)
	f.Add([]byte{}, 0, true)
	f.Fuzz(func(t *testing.T, data []byte, n int, stream bool) {
		var r io.Reader = bytes.NewReader(data)
		if stream {
			r = io.MultiReader(r)
		}
		img, err := ReadFloat32(r, n, "fuzz.bin")
		if err != nil {
			return
		}
		if len(img) != n || 4*n != len(data) {
			t.Fatalf("%d bytes read as %d of %d values", len(data), len(img), n)
		}
	})
}
