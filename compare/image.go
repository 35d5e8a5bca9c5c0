package compare

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"os"

	"gobragg/imageio"
)

// Image is a detector image in float64, nanoBragg's pixel order.
type Image struct {
	Name   string    // file name, for messages and labels
	Format string    // "float32", "smv" or "cbf"
	Fast   int       // pixels along the fast axis (row length)
	Slow   int       // pixels along the slow axis (number of rows)
	Pix    []float64 // Fast*Slow values, index = slow*Fast + fast
}

// At returns the pixel at (slow, fast).
func (im *Image) At(slow, fast int) float64 { return im.Pix[slow*im.Fast+fast] }

// Dims are the image dimensions given on the command line; zero means not
// given. They are needed for raw float images whose pixel count is not a
// perfect square, and are checked against an SMV header when given.
type Dims struct {
	Fast, Slow int
}

// smvMagic is how an SMV (ADSC) file begins; nanoBragg checks the same
// first 12 bytes.
const smvMagic = "{\nHEADER_BYT"

// gzipMagic is the first two bytes of a gzip stream.
const gzipMagic = "\x1f\x8b"

// maxImageBytes bounds an image file, and a gzip image once decompressed
// (a 32768x32768 float image); a file that is not a regular one (a pipe,
// /dev/zero) is read up to maxStreamBytes (a 4096x4096 float image; save
// a bigger one to a file).
const (
	maxImageBytes  = 4 << 30
	maxStreamBytes = 64 << 20
)

// Load reads the image at path; see Decode.
func Load(path string, dims Dims) (*Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := int64(maxStreamBytes)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > maxImageBytes {
			return nil, fmt.Errorf("image %s: %d bytes, more than the %d an image may have", path, st.Size(), maxImageBytes)
		}
		limit = maxImageBytes
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("image %s: more than %d bytes (not an image file?)", path, limit)
	}
	return Decode(data, path, dims)
}

// Decode interprets data as an image named name. gzip data are
// decompressed first. Data that begin with an SMV header are read with
// imageio.ReadSMV, a miniCBF (Pilatus frames) with imageio.ReadCBF;
// anything else is raw little-endian float32, whose byte
// count must be a multiple of 4 and whose size comes from dims: both
// Fast and Slow, one of them (the other is inferred when it divides the
// pixel count), or neither, when the pixel count must be a perfect square.
func Decode(data []byte, name string, dims Dims) (*Image, error) {
	if dims.Fast < 0 || dims.Slow < 0 {
		return nil, fmt.Errorf("image %s: negative dimensions %dx%d", name, dims.Fast, dims.Slow)
	}
	if bytes.HasPrefix(data, []byte(gzipMagic)) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("image %s: gzip: %w", name, err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, maxImageBytes+1))
		if err != nil {
			return nil, fmt.Errorf("image %s: gzip: %w", name, err)
		}
		if len(data) > maxImageBytes {
			return nil, fmt.Errorf("image %s: gzip: more than %d bytes decompressed", name, maxImageBytes)
		}
	}
	if bytes.HasPrefix(data, []byte(smvMagic)) {
		return decodeSMV(data, name, dims)
	}
	if bytes.HasPrefix(data, []byte(cbfMagic)) {
		return decodeCBF(data, name, dims)
	}
	return decodeFloat(data, name, dims)
}

// cbfMagic is how a CBF file (a Pilatus miniCBF) begins.
const cbfMagic = "###CBF: VERSION"

func decodeCBF(data []byte, name string, dims Dims) (*Image, error) {
	c, err := imageio.ReadCBF(bytes.NewReader(data), name)
	if err != nil {
		return nil, err
	}
	if (dims.Fast != 0 && dims.Fast != c.Width) || (dims.Slow != 0 && dims.Slow != c.Height) {
		return nil, fmt.Errorf("cbf %s: header says %dx%d (fast x slow), options say %dx%d", name, c.Width, c.Height, dims.Fast, dims.Slow)
	}
	return intImage(name, "cbf", c.Width, c.Height, c.Pixels), nil
}

// intImage converts integer pixels to an Image.
func intImage[T uint16 | int32](name, format string, fast, slow int, pix []T) *Image {
	im := &Image{Name: name, Format: format, Fast: fast, Slow: slow, Pix: make([]float64, len(pix))}
	for i, v := range pix {
		im.Pix[i] = float64(v)
	}
	return im
}

func decodeSMV(data []byte, name string, dims Dims) (*Image, error) {
	s, err := imageio.ReadSMV(bytes.NewReader(data), name)
	if err != nil {
		return nil, err
	}
	if (dims.Fast != 0 && dims.Fast != s.Width) || (dims.Slow != 0 && dims.Slow != s.Height) {
		return nil, fmt.Errorf("smv %s: header says %dx%d (fast x slow), options say %dx%d", name, s.Width, s.Height, dims.Fast, dims.Slow)
	}
	return intImage(name, "smv", s.Width, s.Height, s.Pixels), nil
}

func decodeFloat(data []byte, name string, dims Dims) (*Image, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("float image %s: empty file", name)
	}
	if len(data)%4 != 0 {
		return nil, fmt.Errorf("float image %s: %d bytes is not a whole number of float32 values (and no SMV header)", name, len(data))
	}
	n := len(data) / 4
	fast, slow := dims.Fast, dims.Slow
	switch {
	case fast > 0 && slow > 0:
		if fast*slow != n {
			return nil, fmt.Errorf("float image %s: %d bytes (%d floats), want %d for %dx%d pixels", name, len(data), n, 4*fast*slow, fast, slow)
		}
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
	f32, err := imageio.ReadFloat32(bytes.NewReader(data), n, name)
	if err != nil {
		return nil, err
	}
	im := &Image{Name: name, Format: "float32", Fast: fast, Slow: slow, Pix: make([]float64, n)}
	for i, v := range f32 {
		im.Pix[i] = float64(v)
	}
	return im, nil
}
