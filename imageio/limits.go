package imageio

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"

	"gobragg/internal/sysmem"
)

// MaxPixels bounds the pixels of a detector, simulated or read from an
// image header: nanoBragg counts them in a C int (config refuses a larger
// detector with this constant).
const MaxPixels = math.MaxInt32

// availableMemory is sysmem.Available, replaced in tests.
var availableMemory = sysmem.Available

// imageSize is the size a header (or the caller, for a raw float image)
// gives an image, checked by pixels and bytes before anything is allocated
// for it. Every reader of an image format goes through it.
type imageSize struct {
	what       string // where the size comes from, for messages: "header SIZE1/SIZE2 give"
	fast, slow int    // pixels along the fast and slow axes
}

// pixels checks that both sides are positive and that there are at most
// MaxPixels of them, without overflow whatever the sides, and returns
// their number.
func (z imageSize) pixels() (int, error) {
	if z.fast < 1 || z.slow < 1 {
		return 0, fmt.Errorf("%s %dx%d pixels, not a positive size", z.what, z.fast, z.slow)
	}
	if z.fast > MaxPixels/z.slow {
		return 0, fmt.Errorf("%s %dx%d pixels (%s), more than the %d a detector may have",
			z.what, z.fast, z.slow, FormatG(float64(z.fast)*float64(z.slow)), MaxPixels)
	}
	return z.fast * z.slow, nil
}

// bytes checks what reading the image would take, before it is read:
// dataBytes of pixel data (dataWhat says how they follow from the size:
// "2 bytes a pixel", "X-Binary-Size") after headerBytes of header must fit
// in MaxImageBytes and in the file's length fileBytes (-1 when it is
// unknown, in a gzip stream or a pipe, whose reading the caller then
// bounds by headerBytes+dataBytes and one byte more), and memBytes, the
// memory the reader allocates for the header, the data and the pixels,
// must fit in sysmem.Share of the memory the machine has available.
func (z imageSize) bytes(dataWhat string, headerBytes, dataBytes, fileBytes, memBytes int64) error {
	if dataBytes > MaxImageBytes {
		return fmt.Errorf("%s %dx%d pixels, %d bytes of data (%s), more than the %d an image may have",
			z.what, z.fast, z.slow, dataBytes, dataWhat, int64(MaxImageBytes))
	}
	if fileBytes >= 0 && headerBytes+dataBytes > fileBytes {
		return fmt.Errorf("truncated: %s %dx%d pixels, %d bytes (%s) after the %d-byte header, but the file has %d bytes",
			z.what, z.fast, z.slow, dataBytes, dataWhat, headerBytes, fileBytes)
	}
	if avail, total, ok := availableMemory(); ok && float64(memBytes) > sysmem.Share*avail {
		return fmt.Errorf("%s %dx%d pixels, which need about %s of memory to read, more than %.0f %% of the %s this machine has available (of %s)",
			z.what, z.fast, z.slow, sysmem.Text(float64(memBytes)), 100*sysmem.Share, sysmem.Text(avail), sysmem.Text(total))
	}
	return nil
}

// remaining returns how many bytes r holds from where it stands, when r is
// in memory or a regular file, and -1 otherwise (a pipe, a device, a
// decompressing reader).
func remaining(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader
		return int64(r.Len())
	case *os.File:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		at, err := r.Seek(0, io.SeekCurrent)
		if err != nil || at > st.Size() {
			return -1
		}
		return st.Size() - at
	}
	return -1
}

// readUpTo appends bytes from r to data until it holds n bytes or r ends
// (which is not an error). It grows data at most to n bytes, so the
// caller's bound on n bounds the memory too.
func readUpTo(r io.Reader, data []byte, n int) ([]byte, error) {
	for len(data) < n {
		if len(data) == cap(data) {
			// Double, from 4 KiB, but never past n.
			grown := make([]byte, len(data), min(max(2*cap(data), 4096), n))
			copy(grown, data)
			data = grown
		}
		k, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+k]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
	return data, nil
}

// readAll reads r to its end, but no more than limit bytes and one more,
// and returns a reader of what it read and how many bytes that is. The
// bytes are kept in chunks that are never copied as they grow, so the
// memory this takes is what it read.
func readAll(r io.Reader, limit int64) (io.Reader, int64, error) {
	var chunks []io.Reader
	total := int64(0)
	for size := 64 << 10; total <= limit; size = min(2*size, 4<<20) {
		chunk, err := readUpTo(r, nil, int(min(int64(size), limit+1-total)))
		if len(chunk) > 0 {
			chunks = append(chunks, bytes.NewReader(chunk))
			total += int64(len(chunk))
		}
		if err != nil {
			return nil, total, err
		}
		if len(chunk) < size {
			break // r ended, or the limit is passed
		}
	}
	return io.MultiReader(chunks...), total, nil
}
