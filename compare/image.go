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

// Load reads the image at path; see Decode.
func Load(path string, dims Dims) (*Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
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
		data, err = io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("image %s: gzip: %w", name, err)
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
