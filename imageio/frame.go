package imageio

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
)

// Frame is a detector image of any format DecodeFrame reads, with its
// pixel values as the file holds them.
type Frame struct {
	Name   string // file name, for messages
	Format string // "float32", "smv" or "cbf"
	Fast   int    // pixels along the fast axis (row length)
	Slow   int    // pixels along the slow axis (number of rows)
	// Pix are the Fast*Slow pixel values (index = slow*Fast + fast): ADU
	// of an SMV frame, counts of a miniCBF, the values of a float image;
	// float64 holds each of them exactly.
	Pix []float64
	// SMV or CBF is the header of a frame of that format (its Pixels are
	// nil: the values are in Pix); both are nil for a float image.
	SMV *SMV
	CBF *CBF
}

// Dims are the image dimensions a caller knows; zero means unknown. They
// shape a raw float32 image, which has no header; SMV and miniCBF frames
// carry their own size, which the caller compares with what it expects.
type Dims struct {
	Fast, Slow int
}

// gzipMagic is the first two bytes of a gzip stream.
const gzipMagic = "\x1f\x8b"

// MaxImageBytes bounds an image file, and a gzip image once decompressed
// (a 32768x32768 float image); a file that is not a regular one (a pipe,
// /dev/zero) is read up to MaxStreamBytes (a 4096x4096 float image; save
// a bigger one to a file).
const (
	MaxImageBytes  = 4 << 30
	MaxStreamBytes = 64 << 20
)

// ReadFrame reads the image at path, no more than MaxImageBytes from a
// regular file and MaxStreamBytes from anything else; see DecodeFrame.
// An error opening the file is returned as os.Open gives it.
func ReadFrame(path string, dims Dims) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := int64(MaxStreamBytes)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > MaxImageBytes {
			return nil, fmt.Errorf("image %s: %d bytes, more than the %d an image may have", path, st.Size(), MaxImageBytes)
		}
		limit = MaxImageBytes
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("image %s: more than %d bytes (not an image file?)", path, limit)
	}
	return DecodeFrame(data, path, dims)
}

// DecodeFrame interprets data as an image named name. gzip data are
// decompressed first (to at most MaxImageBytes). Data that begin with an
// SMV header are read with ReadSMV, a miniCBF (Pilatus frames) with
// ReadCBF; anything else is raw little-endian float32, whose byte count
// must be a multiple of 4 and whose size comes from dims: both Fast and
// Slow, one of them (the other is inferred when it divides the pixel
// count), or neither, when the pixel count must be a perfect square.
func DecodeFrame(data []byte, name string, dims Dims) (*Frame, error) {
	if dims.Fast < 0 || dims.Slow < 0 {
		return nil, fmt.Errorf("image %s: negative dimensions %dx%d", name, dims.Fast, dims.Slow)
	}
	if bytes.HasPrefix(data, []byte(gzipMagic)) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("image %s: gzip: %w", name, err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, MaxImageBytes+1))
		if err != nil {
			return nil, fmt.Errorf("image %s: gzip: %w", name, err)
		}
		if len(data) > MaxImageBytes {
			return nil, fmt.Errorf("image %s: gzip: more than %d bytes decompressed", name, MaxImageBytes)
		}
	}
	switch {
	case bytes.HasPrefix(data, []byte(smvMagic)):
		s, err := ReadSMV(bytes.NewReader(data), name)
		if err != nil {
			return nil, err
		}
		fr := &Frame{Name: name, Format: "smv", Fast: s.Width, Slow: s.Height, Pix: toFloat64(s.Pixels), SMV: s}
		s.Pixels = nil
		return fr, nil
	case bytes.HasPrefix(data, []byte(cbfMagic)):
		c, err := ReadCBF(bytes.NewReader(data), name)
		if err != nil {
			return nil, err
		}
		fr := &Frame{Name: name, Format: "cbf", Fast: c.Width, Slow: c.Height, Pix: toFloat64(c.Pixels), CBF: c}
		c.Pixels = nil
		return fr, nil
	}
	return decodeFloatFrame(data, name, dims)
}

// toFloat64 converts integer pixels to float64, exactly.
func toFloat64[T uint16 | int32](pix []T) []float64 {
	out := make([]float64, len(pix))
	for i, v := range pix {
		out[i] = float64(v)
	}
	return out
}

func decodeFloatFrame(data []byte, name string, dims Dims) (*Frame, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("float image %s: empty file", name)
	}
	if fast, slow := dims.Fast, dims.Slow; fast > 0 && slow > 0 && len(data) != 4*fast*slow {
		return nil, fmt.Errorf("image %s is neither an SMV nor a miniCBF frame nor a raw float32 image of %dx%d pixels: %d bytes (%d floats), want %d for %dx%d pixels",
			name, fast, slow, len(data), len(data)/4, 4*fast*slow, fast, slow)
	}
	if len(data)%4 != 0 {
		return nil, fmt.Errorf("float image %s: %d bytes is not a whole number of float32 values (and no SMV or miniCBF header)", name, len(data))
	}
	n := len(data) / 4
	fast, slow := dims.Fast, dims.Slow
	switch {
	case fast > 0 && slow > 0:
		// the size was checked above
	case fast > 0 || slow > 0:
		given := max(fast, slow)
		if n%given != 0 {
			return nil, fmt.Errorf("float image %s: %d floats is not a multiple of %d pixels", name, n, given)
		}
		if fast == 0 {
			fast = n / slow
		} else {
			slow = n / fast
		}
	default:
		side := int(math.Sqrt(float64(n)))
		for side*side > n {
			side--
		}
		for (side+1)*(side+1) <= n {
			side++
		}
		if side*side != n {
			return nil, fmt.Errorf("float image %s: %d floats is not a square image: give -detpixels_x and -detpixels_y", name, n)
		}
		fast, slow = side, side
	}
	pix := make([]float64, n)
	for i := range pix {
		pix[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])))
	}
	return &Frame{Name: name, Format: "float32", Fast: fast, Slow: slow, Pix: pix}, nil
}
