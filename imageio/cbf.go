package imageio

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// CBFHeader holds the Pilatus header lines of a miniCBF frame that dxtbx
// reads (FormatCBFMini), in the header's units.
type CBFHeader struct {
	SizeFast, SizeSlow int // X-Binary-Size-Fastest-Dimension, -Second-Dimension
	PixelSizeM         float64
	DistanceM          float64
	// BeamXPixels, BeamYPixels are where the direct beam meets the
	// detector, in pixels along fast and slow from the corner of the first
	// pixel (Beam_xy; dxtbx puts the beam at Beam_xy * pixel size).
	BeamXPixels, BeamYPixels float64
	WavelengthA              float64
	StartAngleDeg            float64
	AngleIncrementDeg        float64
	ExposureTimeS            float64
	ThicknessM               float64 // "Silicon sensor, thickness", a line written only when positive
	CountCutoff              int64   // counts at which dxtbx calls a pixel overloaded
	Timestamp                string  // "2026-01-02T03:04:05.000"; "" writes the Unix epoch
}

// cbfBinaryStart is the byte sequence that starts the binary section.
var cbfBinaryStart = []byte{0x0c, 0x1a, 0x04, 0xd5}

// cbfMagic is how a CBF file begins.
const cbfMagic = "###CBF: VERSION"

// ErrNotCBF is returned (wrapped) by ReadCBF for data that are not CBF.
var ErrNotCBF = errors.New("not a CBF file")

// g9 formats a header number with enough digits for the geometry.
func g9(x float64) string { return strconv.FormatFloat(x, 'g', 9, 64) }

// WriteCBF writes a Pilatus-style miniCBF frame: the Pilatus header lines
// and the signed 32-bit pixels (index = slow*SizeFast + fast) with CBF
// byte-offset compression. It fails, writing nothing, when len(pixels) is
// not SizeFast*SizeSlow.
func WriteCBF(w io.Writer, h CBFHeader, pixels []int32) error {
	if h.SizeFast <= 0 || h.SizeSlow <= 0 {
		return fmt.Errorf("cbf: image size %dx%d is not positive", h.SizeFast, h.SizeSlow)
	}
	if len(pixels) != h.SizeFast*h.SizeSlow {
		return fmt.Errorf("cbf: %d pixels given for a %dx%d image", len(pixels), h.SizeFast, h.SizeSlow)
	}
	packed := ByteOffsetEncode(pixels)
	sum := md5.Sum(packed)
	ts := h.Timestamp
	if ts == "" {
		ts = "1970-01-01T00:00:00.000"
	}
	var b strings.Builder
	b.WriteString("###CBF: VERSION 1.5, gobragg miniCBF (CBFlib-compatible)\r\n\r\ndata_gobragg\r\n\r\n")
	// GENERIC_MINI: dxtbx's reader for Pilatus-style headers on any array
	// size (its PILATUS_1.2 reader insists on Pilatus module gaps).
	b.WriteString("_array_data.header_convention \"GENERIC_MINI\"\r\n_array_data.header_contents\r\n;\r\n")
	fmt.Fprintf(&b, "# Detector: gobragg simulated pixel-array detector, S/N 0\r\n")
	fmt.Fprintf(&b, "# %s\r\n", ts)
	fmt.Fprintf(&b, "# Pixel_size %se-6 m x %se-6 m\r\n", g9(h.PixelSizeM*1e6), g9(h.PixelSizeM*1e6))
	if h.ThicknessM > 0 {
		// dxtbx models parallax from this line and refuses a zero thickness.
		fmt.Fprintf(&b, "# Silicon sensor, thickness %s m\r\n", g9(h.ThicknessM))
	}
	fmt.Fprintf(&b, "# Exposure_time %s s\r\n# Exposure_period %s s\r\n", g9(h.ExposureTimeS), g9(h.ExposureTimeS))
	fmt.Fprintf(&b, "# Tau = 0 s\r\n# Count_cutoff %d counts\r\n", h.CountCutoff)
	fmt.Fprintf(&b, "# Wavelength %s A\r\n# Detector_distance %s m\r\n", g9(h.WavelengthA), g9(h.DistanceM))
	fmt.Fprintf(&b, "# Beam_xy (%s, %s) pixels\r\n", g9(h.BeamXPixels), g9(h.BeamYPixels))
	fmt.Fprintf(&b, "# Start_angle %s deg.\r\n# Angle_increment %s deg.\r\n", g9(h.StartAngleDeg), g9(h.AngleIncrementDeg))
	fmt.Fprintf(&b, "# Phi %s deg.\r\n# Oscillation_axis X, CW\r\n", g9(h.StartAngleDeg))
	b.WriteString(";\r\n\r\n_array_data.data\r\n;\r\n--CIF-BINARY-FORMAT-SECTION--\r\n")
	b.WriteString("Content-Type: application/octet-stream;\r\n     conversions=\"x-CBF_BYTE_OFFSET\"\r\n")
	b.WriteString("Content-Transfer-Encoding: BINARY\r\n")
	fmt.Fprintf(&b, "X-Binary-Size: %d\r\nX-Binary-ID: 1\r\n", len(packed))
	b.WriteString("X-Binary-Element-Type: \"signed 32-bit integer\"\r\nX-Binary-Element-Byte-Order: LITTLE_ENDIAN\r\n")
	fmt.Fprintf(&b, "Content-MD5: %s\r\n", base64.StdEncoding.EncodeToString(sum[:]))
	fmt.Fprintf(&b, "X-Binary-Number-of-Elements: %d\r\n", len(pixels))
	fmt.Fprintf(&b, "X-Binary-Size-Fastest-Dimension: %d\r\nX-Binary-Size-Second-Dimension: %d\r\n", h.SizeFast, h.SizeSlow)
	b.WriteString("X-Binary-Size-Padding: 4095\r\n\r\n")

	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(b.String())
	bw.Write(cbfBinaryStart)
	bw.Write(packed)
	bw.Write(make([]byte, 4095))
	bw.WriteString("\r\n--CIF-BINARY-FORMAT-SECTION----\r\n;\r\n\r\n")
	return bw.Flush()
}

// ByteOffsetEncode compresses values with CBF's byte-offset scheme: each
// value is stored as its difference from the previous one (the first from
// 0) in 1 byte when it fits in [-127, 127], else the flag byte 0x80 and 2
// bytes, else the flag 0x8000 and 4 bytes, else the flag 0x80000000 and
// 8 bytes (little-endian, signed).
func ByteOffsetEncode(values []int32) []byte {
	out := make([]byte, 0, len(values)+16)
	prev := int64(0)
	for _, v := range values {
		d := int64(v) - prev
		prev = int64(v)
		switch {
		case d >= -127 && d <= 127:
			out = append(out, byte(int8(d)))
		case d >= -32767 && d <= 32767:
			out = append(out, 0x80)
			out = binary.LittleEndian.AppendUint16(out, uint16(int16(d)))
		case d >= -math.MaxInt32 && d <= math.MaxInt32:
			out = append(out, 0x80, 0x00, 0x80)
			out = binary.LittleEndian.AppendUint32(out, uint32(int32(d)))
		default:
			out = append(out, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00, 0x80)
			out = binary.LittleEndian.AppendUint64(out, uint64(d))
		}
	}
	return out
}

// ByteOffsetDecode expands n values from a byte-offset stream. It returns
// an error, naming the element, for a stream that ends early or a value
// outside the signed 32-bit range, and the number of bytes used; n above
// len(packed) is refused before anything is allocated.
func ByteOffsetDecode(packed []byte, n int) ([]int32, int, error) {
	if n < 0 || n > len(packed)/minByteOffsetBytes {
		return nil, 0, fmt.Errorf("byte-offset stream of %d bytes cannot hold %d elements", len(packed), n)
	}
	out := make([]int32, n)
	prev := int64(0)
	pos := 0
	need := func(k, i int) error {
		if pos+k > len(packed) {
			return fmt.Errorf("byte-offset stream ends inside element %d of %d (at byte %d of %d)", i+1, n, pos, len(packed))
		}
		return nil
	}
	for i := range out {
		if err := need(1, i); err != nil {
			return nil, pos, err
		}
		d := int64(int8(packed[pos]))
		pos++
		if packed[pos-1] == 0x80 {
			if err := need(2, i); err != nil {
				return nil, pos, err
			}
			d16 := int16(binary.LittleEndian.Uint16(packed[pos:]))
			pos += 2
			d = int64(d16)
			if uint16(d16) == 0x8000 {
				if err := need(4, i); err != nil {
					return nil, pos, err
				}
				d32 := int32(binary.LittleEndian.Uint32(packed[pos:]))
				pos += 4
				d = int64(d32)
				if uint32(d32) == 0x80000000 {
					if err := need(8, i); err != nil {
						return nil, pos, err
					}
					d = int64(binary.LittleEndian.Uint64(packed[pos:]))
					pos += 8
				}
			}
		}
		v := prev + d
		if v < math.MinInt32 || v > math.MaxInt32 || (d > 0 && v < prev) || (d < 0 && v > prev) {
			return nil, pos, fmt.Errorf("byte-offset stream: element %d of %d is outside the signed 32-bit range", i+1, n)
		}
		out[i] = int32(v)
		prev = v
	}
	return out, pos, nil
}

// CBF is a miniCBF frame read by ReadCBF.
type CBF struct {
	Header string            // the text before the binary section
	Values map[string]string // "# Key value" lines of the Pilatus header and the MIME header fields
	Width  int               // X-Binary-Size-Fastest-Dimension
	Height int               // X-Binary-Size-Second-Dimension
	Pixels []int32           // Width*Height values, index = slow*Width + fast
}

// maxCBFHeader bounds the text before a miniCBF's binary section (a
// Pilatus miniCBF header is 2 KiB, a full imgCIF one with its axes 7 KiB).
const maxCBFHeader = 1 << 20

// maxCBFTrailer bounds what may follow the binary data: its padding
// (Pilatus and WriteCBF write 4095 bytes) and the closing MIME boundary
// and CIF lines (40 bytes).
const maxCBFTrailer = 1 << 20

// Each byte-offset element takes 1 to 15 bytes (a flag byte, then a 2-,
// 4- and 8-byte difference), which bounds X-Binary-Size by the element
// count.
const (
	minByteOffsetBytes = 1
	maxByteOffsetBytes = 1 + 2 + 4 + 8
)

// ReadCBF reads a miniCBF frame with byte-offset compressed signed 32-bit
// pixels (as Pilatus detectors and WriteCBF write). It returns an error
// naming the file for anything else or for a damaged file: a missing
// binary section or MIME field, sizes that disagree, a byte-offset stream
// that ends early or overflows, an MD5 digest that does not match.
//
// It reads no more than the header promises: the header text up to
// maxCBFHeader bytes, then, once the dimensions and X-Binary-Size are
// checked (at most MaxPixels pixels, X-Binary-Size bytes within what that
// many elements can take and within the file, and the memory within what
// the machine has), the binary section and at most maxCBFTrailer bytes
// after it.
func ReadCBF(r io.Reader, name string) (*CBF, error) {
	return readCBF(r, name, remaining(r), 0)
}

// readCBF is ReadCBF of a file of fileBytes bytes (-1 when unknown) for a
// caller that allocates perPixel more bytes a pixel once it returns.
func readCBF(r io.Reader, name string, fileBytes, perPixel int64) (*CBF, error) {
	// The header, read in doubling steps until the binary section starts.
	data, err := readUpTo(r, nil, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if !bytes.HasPrefix(data, []byte(cbfMagic)) {
		return nil, fmt.Errorf("cbf %s: %w (file does not begin with %q)", name, ErrNotCBF, cbfMagic)
	}
	start := bytes.Index(data, cbfBinaryStart)
	for start < 0 && len(data) < maxCBFHeader {
		had := len(data)
		if data, err = readUpTo(r, data, min(2*had, maxCBFHeader+len(cbfBinaryStart))); err != nil {
			return nil, fmt.Errorf("cbf %s: %w", name, err)
		}
		if len(data) == had {
			break // the file ended
		}
		from := had - len(cbfBinaryStart) + 1
		if i := bytes.Index(data[from:], cbfBinaryStart); i >= 0 {
			start = from + i
		}
	}
	if start < 0 {
		if len(data) >= maxCBFHeader {
			return nil, fmt.Errorf("cbf %s: no binary section (the bytes 0C 1A 04 D5) in the first %d bytes", name, maxCBFHeader)
		}
		return nil, fmt.Errorf("cbf %s: no binary section (the bytes 0C 1A 04 D5)", name)
	}
	c := &CBF{Header: string(data[:start]), Values: map[string]string{}}
	for _, line := range strings.Split(c.Header, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "# ") {
			k, v, _ := strings.Cut(strings.TrimPrefix(line, "# "), " ")
			c.Values[strings.TrimRight(k, ":,")] = strings.TrimSpace(v)
		} else if k, v, ok := strings.Cut(line, ":"); ok && (strings.HasPrefix(k, "X-Binary") || strings.HasPrefix(k, "Content-")) {
			c.Values[k] = strings.TrimSpace(v)
		}
	}
	field := func(k string) (int, error) {
		v, ok := c.Values[k]
		if !ok {
			return 0, fmt.Errorf("cbf %s: no %s in the MIME header", name, k)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("cbf %s: %s %q is not a size", name, k, v)
		}
		return n, nil
	}
	if conv := c.Values["Content-Type"]; !strings.Contains(c.Header, "x-CBF_BYTE_OFFSET") {
		return nil, fmt.Errorf("cbf %s: only byte-offset compression is read (Content-Type %q)", name, conv)
	}
	if t := c.Values["X-Binary-Element-Type"]; t != `"signed 32-bit integer"` {
		return nil, fmt.Errorf("cbf %s: element type %s is not \"signed 32-bit integer\"", name, t)
	}
	size, err := field("X-Binary-Size")
	if err != nil {
		return nil, err
	}
	n, err := field("X-Binary-Number-of-Elements")
	if err != nil {
		return nil, err
	}
	if c.Width, err = field("X-Binary-Size-Fastest-Dimension"); err != nil {
		return nil, err
	}
	if c.Height, err = field("X-Binary-Size-Second-Dimension"); err != nil {
		return nil, err
	}
	dims := imageSize{what: "header X-Binary-Size-Fastest/Second-Dimension give", fast: c.Width, slow: c.Height}
	pixels, err := dims.pixels()
	if err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if pixels != n {
		return nil, fmt.Errorf("cbf %s: %d elements for a %dx%d image", name, n, c.Width, c.Height)
	}
	if size < minByteOffsetBytes*n || size > maxByteOffsetBytes*n {
		return nil, fmt.Errorf("cbf %s: X-Binary-Size %d cannot hold %d byte-offset elements (%d to %d bytes each)",
			name, size, n, minByteOffsetBytes, maxByteOffsetBytes)
	}
	body := start + len(cbfBinaryStart)
	// The header, the packed data and the decoded pixels, and the
	// caller's perPixel bytes a pixel.
	if err := dims.bytes("X-Binary-Size", int64(body), int64(size), fileBytes, int64(body)+int64(size)+int64(n)*(4+perPixel)); err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if data, err = readUpTo(r, data, body+size); err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if size > len(data)-body {
		return nil, fmt.Errorf("cbf %s: truncated: X-Binary-Size %d, %d bytes follow the binary marker", name, size, len(data)-body)
	}
	// What follows the data: already read, or counted without keeping it.
	after := int64(len(data) - body - size)
	if fileBytes >= 0 {
		after = fileBytes - int64(body+size)
	} else if after <= maxCBFTrailer {
		more, err := io.Copy(io.Discard, io.LimitReader(r, maxCBFTrailer+1-after))
		if err != nil {
			return nil, fmt.Errorf("cbf %s: %w", name, err)
		}
		after += more
	}
	if after > maxCBFTrailer {
		return nil, fmt.Errorf("cbf %s: more than %d bytes follow the %d bytes of X-Binary-Size (padding and closing lines take a few KiB)", name, maxCBFTrailer, size)
	}
	packed := data[body : body+size]
	if want, ok := c.Values["Content-MD5"]; ok {
		sum := md5.Sum(packed)
		if got := base64.StdEncoding.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("cbf %s: the binary section's MD5 digest %s differs from Content-MD5 %s (file damaged)", name, got, want)
		}
	}
	pix, used, err := ByteOffsetDecode(packed, n)
	if err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if used != size {
		return nil, fmt.Errorf("cbf %s: %d elements used %d of the %d bytes of X-Binary-Size", name, n, used, size)
	}
	c.Pixels = pix
	return c, nil
}
