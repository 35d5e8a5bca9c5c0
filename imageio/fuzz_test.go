package imageio

import (
	"bytes"
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
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSMV(bytes.NewReader(data), "fuzz.img")
		if err == nil {
			s.Value("PIXEL_SIZE")
		}
	})
}
