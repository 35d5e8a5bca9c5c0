package imageio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
)

// WriteFloat32 writes img as raw little-endian float32 values, the format
// of nanoBragg's -floatfile (no header).
func WriteFloat32(w io.Writer, img []float32) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf [4]byte
	for _, v := range img {
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
		if _, err := bw.Write(buf[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadFloat32 reads exactly n little-endian float32 values from r and
// fails if r holds fewer or more bytes than 4n. n is checked before
// anything is allocated: at most MaxPixels, within r's length when r is in
// memory or a regular file, and within the memory the machine has
// available; r is read no further than 4n bytes and one more. name is
// used in error messages only.
func ReadFloat32(r io.Reader, n int, name string) ([]float32, error) {
	if n < 0 {
		return nil, fmt.Errorf("float image %s: negative pixel count %d", name, n)
	}
	size := imageSize{what: "the size given is", fast: n, slow: 1}
	if _, err := size.pixels(); err != nil && n > 0 {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	fileBytes := remaining(r)
	if fileBytes >= 0 && fileBytes != 4*int64(n) {
		return nil, fmt.Errorf("float image %s: %d bytes, want %d (%d float32 values)", name, fileBytes, 4*int64(n), n)
	}
	if err := size.bytes("4 bytes a pixel", 0, 4*int64(n), fileBytes, 4*int64(n)); err != nil {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	img, got, err := readFloat32s[float32](r, n, fileBytes >= 0)
	if err != nil {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	var one [1]byte
	k, err := io.ReadFull(r, one[:])
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	if k > 0 {
		return nil, fmt.Errorf("float image %s: more than %d bytes, want %d (%d float32 values)", name, got, 4*int64(n), n)
	}
	if got != 4*int64(n) {
		return nil, fmt.Errorf("float image %s: %d bytes, want %d (%d float32 values)", name, got, 4*int64(n), n)
	}
	if img == nil {
		img = []float32{}
	}
	return img, nil
}

// ReadFloatImageFile reads a fast x slow raw float32 image (nanoBragg's
// floatimage.bin) from path; see ReadFloat32.
func ReadFloatImageFile(path string, fast, slow int) ([]float32, error) {
	n, err := imageSize{what: "the size given is", fast: fast, slow: slow}.pixels()
	if err != nil {
		return nil, fmt.Errorf("float image %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFloat32(f, n, path)
}
