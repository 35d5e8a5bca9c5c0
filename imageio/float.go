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
// fails if r holds fewer or more bytes than 4n. name is used in error
// messages only.
func ReadFloat32(r io.Reader, n int, name string) ([]float32, error) {
	if n < 0 {
		return nil, fmt.Errorf("float image %s: negative pixel count %d", name, n)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	if len(data) != 4*n {
		return nil, fmt.Errorf("float image %s: %d bytes, want %d (%d float32 values)", name, len(data), 4*n, n)
	}
	img := make([]float32, n)
	for i := range img {
		img[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return img, nil
}

// ReadFloatImageFile reads a fast x slow raw float32 image (nanoBragg's
// floatimage.bin) from path.
func ReadFloatImageFile(path string, fast, slow int) ([]float32, error) {
	if fast <= 0 || slow <= 0 {
		return nil, fmt.Errorf("float image %s: size %dx%d is not positive", path, fast, slow)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFloat32(bufio.NewReader(f), fast*slow, path)
}
