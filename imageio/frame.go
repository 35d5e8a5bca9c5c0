package imageio

import (
	"bufio"
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
	// Panels are the sizes of a multi-panel image's panels (ReadPanels),
	// whose values follow one another in Pix (Fast is their sum, Slow 1);
	// nil for a one-panel frame.
	Panels []Dims
}

// Dims are the image dimensions a caller knows; zero means unknown. They
// shape a raw float32 image, which has no header; SMV and miniCBF frames
// carry their own size, which the caller compares with what it expects.
type Dims struct {
	Fast, Slow int
}

// gzipMagic is the first two bytes of a gzip stream.
const gzipMagic = "\x1f\x8b"

// MaxImageBytes bounds an image file, and the pixel data of a gzip image
// once decompressed (a 32768x32768 float image); a file that is not a
// regular one (a pipe, /dev/zero) is read up to MaxStreamBytes (a
// 4096x4096 float image; save a bigger one to a file), and so is a gzip
// raw float image whose size no header and no Dims give.
const (
	MaxImageBytes  = 4 << 30
	MaxStreamBytes = 64 << 20
)

// framePixelBytes is what a Frame costs a pixel besides the reader's own
// buffers: its float64 value.
const framePixelBytes = 8

// ReadFrame reads the image at path, no more than MaxImageBytes from a
// regular file and MaxStreamBytes from anything else; see DecodeFrame.
// An error opening the file is returned as os.Open gives it.
func ReadFrame(path string, dims Dims) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		if st.Size() > MaxImageBytes {
			return nil, fmt.Errorf("image %s: %d bytes, more than the %d an image may have", path, st.Size(), MaxImageBytes)
		}
		// Read as far as the header says, not the whole file.
		return decodeFrame(f, path, st.Size(), dims)
	}
	data, n, err := readAll(f, MaxStreamBytes)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	if n > MaxStreamBytes {
		return nil, fmt.Errorf("image %s: more than %d bytes (not an image file?)", path, MaxStreamBytes)
	}
	return decodeFrame(data, path, n, dims)
}

// DecodeFrame interprets data as an image named name. gzip data are
// decompressed first. Data that begin with an SMV header are read with
// ReadSMV, a miniCBF (Pilatus frames) with ReadCBF; anything else is raw
// little-endian float32, whose byte count must be a multiple of 4 and
// whose size comes from dims: both Fast and Slow, one of them (the other
// is inferred when it divides the pixel count), or neither, when the pixel
// count must be a perfect square.
//
// The size a header or dims give is checked before the pixels are read or
// decompressed: at most MaxPixels, within the data (for gzip data, the
// decompression stops one byte past what the size needs), and within the
// memory the machine has available (see imageSize).
func DecodeFrame(data []byte, name string, dims Dims) (*Frame, error) {
	return decodeFrame(bytes.NewReader(data), name, int64(len(data)), dims)
}

// decodeFrame is DecodeFrame of the fileBytes bytes r holds (-1 when
// unknown).
func decodeFrame(r io.Reader, name string, fileBytes int64, dims Dims) (*Frame, error) {
	if dims.Fast < 0 || dims.Slow < 0 {
		return nil, fmt.Errorf("image %s: negative dimensions %dx%d", name, dims.Fast, dims.Slow)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(len(gzipMagic)); string(head) == gzipMagic {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("image %s: gzip: %w", name, err)
		}
		defer zr.Close()
		// The decompressed size is unknown until read: the header (or
		// dims) bounds it.
		return decodeStream(bufio.NewReaderSize(gzipErrors{zr}, 64<<10), name, -1, dims)
	}
	return decodeStream(br, name, fileBytes, dims)
}

// gzipErrors says that a read error of r, a gzip stream, is one.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: %w", err)
	}
	return n, err
}

// decodeStream reads an SMV frame, a miniCBF or a raw float32 image from
// the fileBytes bytes (-1 when unknown) of br.
func decodeStream(br *bufio.Reader, name string, fileBytes int64, dims Dims) (*Frame, error) {
	head, err := br.Peek(max(len(smvMagic), len(cbfMagic)))
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("image %s: %w", name, err)
	}
	switch {
	case bytes.HasPrefix(head, []byte(smvMagic)):
		s, err := readSMV(br, name, fileBytes, framePixelBytes)
		if err != nil {
			return nil, err
		}
		fr := &Frame{Name: name, Format: "smv", Fast: s.Width, Slow: s.Height, Pix: toFloat64(s.Pixels), SMV: s}
		s.Pixels = nil
		return fr, nil
	case bytes.HasPrefix(head, []byte(cbfMagic)):
		c, err := readCBF(br, name, fileBytes, framePixelBytes)
		if err != nil {
			return nil, err
		}
		fr := &Frame{Name: name, Format: "cbf", Fast: c.Width, Slow: c.Height, Pix: toFloat64(c.Pixels), CBF: c}
		c.Pixels = nil
		return fr, nil
	}
	return readFloatFrame(br, name, fileBytes, dims)
}

// toFloat64 converts integer pixels to float64, exactly.
func toFloat64[T uint16 | int32](pix []T) []float64 {
	out := make([]float64, len(pix))
	for i, v := range pix {
		out[i] = float64(v)
	}
	return out
}

// readFloatFrame reads a raw float32 image of fileBytes bytes (-1 when
// unknown) from r, its size from dims and the byte count.
func readFloatFrame(r io.Reader, name string, fileBytes int64, dims Dims) (*Frame, error) {
	fast, slow := dims.Fast, dims.Slow
	notFloat := func(got string) error {
		return fmt.Errorf("image %s is neither an SMV nor a miniCBF frame nor a raw float32 image of %dx%d pixels: %s, want %d for %dx%d pixels",
			name, fast, slow, got, 4*int64(fast)*int64(slow), fast, slow)
	}
	size := imageSize{what: "the dimensions given are", fast: fast, slow: slow}
	if fast > 0 && slow > 0 {
		if _, err := size.pixels(); err != nil {
			return nil, fmt.Errorf("float image %s: %w", name, err)
		}
	}
	if fast == 0 || slow == 0 {
		if fileBytes < 0 {
			// No header and no size: the byte count tells, so read it
			// all, as far as a stream may go.
			data, n, err := readAll(r, MaxStreamBytes)
			if err != nil {
				return nil, fmt.Errorf("float image %s: %w", name, err)
			}
			if n > MaxStreamBytes {
				return nil, fmt.Errorf("float image %s: more than %d bytes decompressed, and neither a header nor dimensions give the size: give -detpixels_x and -detpixels_y", name, MaxStreamBytes)
			}
			r, fileBytes = data, n
		}
		if fileBytes == 0 {
			return nil, fmt.Errorf("float image %s: empty file", name)
		}
		if fileBytes%4 != 0 {
			return nil, fmt.Errorf("float image %s: %d bytes is not a whole number of float32 values (and no SMV or miniCBF header)", name, fileBytes)
		}
		n := fileBytes / 4
		if given := int64(max(fast, slow)); given > 0 {
			if n%given != 0 {
				return nil, fmt.Errorf("float image %s: %d floats is not a multiple of %d pixels", name, n, given)
			}
			fast, slow = int(given), int(n/given)
			if dims.Slow > 0 {
				fast, slow = slow, fast
			}
		} else {
			side := int64(math.Sqrt(float64(n)))
			for side*side > n {
				side--
			}
			for (side+1)*(side+1) <= n {
				side++
			}
			if side*side != n {
				return nil, fmt.Errorf("float image %s: %d floats is not a square image: give -detpixels_x and -detpixels_y", name, n)
			}
			fast, slow = int(side), int(side)
		}
		size = imageSize{what: "the file's length gives", fast: fast, slow: slow}
	} else if fileBytes >= 0 && fileBytes != 4*int64(fast)*int64(slow) {
		return nil, notFloat(fmt.Sprintf("%d bytes (%d floats)", fileBytes, fileBytes/4))
	}
	n, err := size.pixels()
	if err != nil {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	if err := size.bytes("4 bytes a pixel", 0, 4*int64(n), fileBytes, framePixelBytes*int64(n)); err != nil {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	pix, got, err := readFloat32s[float64](r, n, fileBytes >= 0)
	if err != nil {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	if got < 4*int64(n) {
		return nil, notFloat(fmt.Sprintf("%d bytes (%d floats)", got, got/4))
	}
	// Nothing may follow (only a stream of unknown length can get here
	// with more).
	var one [1]byte
	if k, err := io.ReadFull(r, one[:]); k > 0 {
		return nil, notFloat(fmt.Sprintf("more than %d bytes", 4*int64(n)))
	} else if err != io.EOF {
		return nil, fmt.Errorf("float image %s: %w", name, err)
	}
	return &Frame{Name: name, Format: "float32", Fast: fast, Slow: slow, Pix: pix}, nil
}

// readFloat32s reads n little-endian float32 values from r and returns
// them, and how many bytes it read: 4n, or fewer when r ends. When r's
// length is known to hold them (sized), the values are allocated at once;
// otherwise (a gzip stream, a pipe) they grow with what r delivers, so
// that a short stream never costs the memory of its claim.
func readFloat32s[T float32 | float64](r io.Reader, n int, sized bool) ([]T, int64, error) {
	var out []T
	if sized {
		out = make([]T, 0, n)
	}
	var buf [64 << 10]byte
	got := int64(0)
	for len(out) < n {
		k, err := io.ReadFull(r, buf[:min(len(buf), 4*(n-len(out)))])
		got += int64(k)
		for j := 0; j+4 <= k; j += 4 {
			out = append(out, T(math.Float32frombits(binary.LittleEndian.Uint32(buf[j:]))))
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return out, got, nil
		}
		if err != nil {
			return out, got, err
		}
	}
	return out, got, nil
}
