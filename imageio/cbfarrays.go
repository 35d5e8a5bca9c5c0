package imageio

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxCBFArrays bounds the arrays (panels) of a multi-panel CBF: the
// panels an experiment list's detector may have (expt's bound).
const MaxCBFArrays = 1 << 12

// cbfSectionStart opens each binary section's MIME header.
const cbfSectionStart = "--CIF-BINARY-FORMAT-SECTION--"

// ReadCBFArrays reads the arrays of a full CBF with one binary section per
// panel, as WriteMultiCBF writes it: each panel's size and counts (signed
// 32-bit, uncompressed or byte-offset compressed), in the file's order.
// The geometry, gain and trusted range are not read (an experiment list
// gives them): the other CBFPanel fields are zero. Before anything is
// allocated for a section its sizes are checked: at most MaxCBFArrays
// arrays and MaxPixels pixels in all, X-Binary-Size within the file and
// what its elements can take, the memory within what the machine has.
// An MD5 digest that does not match is refused.
func ReadCBFArrays(r io.Reader, name string) ([]CBFPanel, error) {
	fileBytes := remaining(r)
	if fileBytes > MaxImageBytes {
		return nil, fmt.Errorf("cbf %s: %d bytes, more than the %d an image may have", name, fileBytes, int64(MaxImageBytes))
	}
	limit := int64(MaxImageBytes)
	if fileBytes < 0 {
		limit = MaxStreamBytes
	}
	rd, n, err := readAll(r, limit)
	if err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if n > limit {
		return nil, fmt.Errorf("cbf %s: more than %d bytes (save a stream to a file)", name, limit)
	}
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("cbf %s: %w", name, err)
	}
	if !bytes.HasPrefix(data, []byte(cbfMagic)) {
		return nil, fmt.Errorf("cbf %s: %w (file does not begin with %q)", name, ErrNotCBF, cbfMagic)
	}
	var out []CBFPanel
	total := 0
	for pos := 0; ; {
		i := bytes.Index(data[pos:], []byte(cbfSectionStart+"\r\n"))
		if i < 0 {
			break
		}
		if len(out) == MaxCBFArrays {
			return nil, fmt.Errorf("cbf %s: more than %d arrays (panels)", name, MaxCBFArrays)
		}
		at := pos + i + len(cbfSectionStart)
		p, next, err := readCBFArray(data, at, total)
		if err != nil {
			return nil, fmt.Errorf("cbf %s: array %d: %w", name, len(out), err)
		}
		total += p.SizeFast * p.SizeSlow
		out = append(out, p)
		pos = next
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("cbf %s: no binary section (%s)", name, cbfSectionStart)
	}
	return out, nil
}

// readCBFArray reads the binary section whose MIME header starts at
// data[at:], after earlier arrays of before pixels, and returns it and
// where its data end.
func readCBFArray(data []byte, at, before int) (CBFPanel, int, error) {
	var p CBFPanel
	k := bytes.Index(data[at:], cbfBinaryStart)
	if k < 0 || k > maxCBFHeader {
		return p, 0, fmt.Errorf("no binary data (the bytes 0C 1A 04 D5) after its MIME header")
	}
	head := string(data[at : at+k])
	values := map[string]string{}
	for _, line := range strings.Split(head, "\n") {
		if key, v, ok := strings.Cut(strings.TrimRight(line, "\r"), ":"); ok {
			values[strings.TrimSpace(key)] = strings.TrimSpace(v)
		}
	}
	field := func(key string) (int, error) {
		v, ok := values[key]
		if !ok {
			return 0, fmt.Errorf("no %s in the MIME header", key)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%s %q is not a size", key, v)
		}
		return n, nil
	}
	if t := values["X-Binary-Element-Type"]; t != `"signed 32-bit integer"` {
		return p, 0, fmt.Errorf("element type %s is not \"signed 32-bit integer\"", t)
	}
	byteOffset := strings.Contains(head, "x-CBF_BYTE_OFFSET")
	if !byteOffset && strings.Contains(head, "conversions") {
		return p, 0, fmt.Errorf("only uncompressed and byte-offset arrays are read (Content-Type %q)", values["Content-Type"])
	}
	if !byteOffset && !strings.EqualFold(values["X-Binary-Element-Byte-Order"], "LITTLE_ENDIAN") {
		return p, 0, fmt.Errorf("byte order %q is not LITTLE_ENDIAN", values["X-Binary-Element-Byte-Order"])
	}
	size, err := field("X-Binary-Size")
	if err != nil {
		return p, 0, err
	}
	n, err := field("X-Binary-Number-of-Elements")
	if err != nil {
		return p, 0, err
	}
	if p.SizeFast, err = field("X-Binary-Size-Fastest-Dimension"); err != nil {
		return p, 0, err
	}
	if p.SizeSlow, err = field("X-Binary-Size-Second-Dimension"); err != nil {
		return p, 0, err
	}
	dims := imageSize{what: "header X-Binary-Size-Fastest/Second-Dimension give", fast: p.SizeFast, slow: p.SizeSlow}
	pixels, err := dims.pixels()
	if err != nil {
		return p, 0, err
	}
	if pixels > MaxPixels-before {
		return p, 0, fmt.Errorf("the arrays have more than the %d pixels a detector may have", MaxPixels)
	}
	if pixels != n {
		return p, 0, fmt.Errorf("%d elements for a %dx%d array", n, p.SizeFast, p.SizeSlow)
	}
	lo, hi := 4*n, 4*n // uncompressed
	if byteOffset {
		lo, hi = minByteOffsetBytes*n, maxByteOffsetBytes*n
	}
	if size < lo || size > hi {
		return p, 0, fmt.Errorf("X-Binary-Size %d cannot hold %d elements", size, n)
	}
	body := at + k + len(cbfBinaryStart)
	// The packed data are in memory; the counts take 4 bytes a pixel and
	// the caller's float64 values 8 more, for this and every earlier array.
	if err := dims.bytes("X-Binary-Size", int64(body), int64(size), int64(len(data)), int64(before+n)*(4+framePixelBytes)); err != nil {
		return p, 0, err
	}
	packed := data[body : body+size]
	if want, ok := values["Content-MD5"]; ok {
		sum := md5.Sum(packed)
		if got := base64.StdEncoding.EncodeToString(sum[:]); got != want {
			return p, 0, fmt.Errorf("the binary section's MD5 digest %s differs from Content-MD5 %s (file damaged)", got, want)
		}
	}
	if byteOffset {
		pix, used, err := ByteOffsetDecode(packed, n)
		if err != nil {
			return p, 0, err
		}
		if used != size {
			return p, 0, fmt.Errorf("%d elements used %d of the %d bytes of X-Binary-Size", n, used, size)
		}
		p.Counts = pix
	} else {
		p.Counts = make([]int32, n)
		for j := range p.Counts {
			p.Counts[j] = int32(binary.LittleEndian.Uint32(packed[4*j:]))
		}
	}
	return p, body + size, nil
}
