package imageio

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// smvHeaderBytes is the fixed header size nanoBragg writes.
const smvHeaderBytes = 512

// SMVHeader holds the numbers nanoBragg prints into an SMV header, already
// in the header's units (millimetres, ångström, degrees, pixels). The
// caller computes them as the C program does, for example
// ADXVCenterYMM = (detsizeS - Sbeam)*1000 and
// MOSFLMCenterXMM = (Sbeam - 0.5*pixelSize)*1000.
type SMVHeader struct {
	SizeFast, SizeSlow int // SIZE1 (fast pixels), SIZE2 (slow pixels)

	PixelSizeMM, DistanceMM, WavelengthA float64
	BeamCenterXMM, BeamCenterYMM         float64
	ADXVCenterXMM, ADXVCenterYMM         float64
	MOSFLMCenterXMM, MOSFLMCenterYMM     float64
	DenzoXBeamMM, DenzoYBeamMM           float64
	DialsOriginMM                        [3]float64
	XDSOrgX, XDSOrgY                     float64 // pixels
	CloseDistanceMM                      float64
	PhiDeg, OscStartDeg, OscRangeDeg     float64
	TwoThetaDeg                          float64

	// Additions of gobragg's spec mode; their zero values keep nanoBragg's
	// header byte for byte. HasADCOffset writes ADC_OFFSET=ADCOffset (the
	// pedestal dxtbx subtracts; without it dxtbx assumes 1). FitHeader
	// makes HEADER_BYTES the padded size of the text, a multiple of 512,
	// instead of C's fixed 512 that a long header overruns. NanoBraggBeam
	// adds NANOBRAGG_XBEAM/YBEAM = NanoBraggXbeamMM/YbeamMM, nanoBragg's
	// beam centre, for -img to read when BEAM_CENTER_X/Y hold dxtbx's.
	HasADCOffset                       bool
	ADCOffset                          float64
	FitHeader                          bool
	NanoBraggBeam                      bool
	NanoBraggXbeamMM, NanoBraggYbeamMM float64
}

// headerBytes is the HEADER_BYTES value and padded size of h's header.
func (h SMVHeader) headerBytes() int {
	if !h.FitHeader {
		return smvHeaderBytes
	}
	n := smvHeaderBytes
	// The value's digits change the length only past 9999 bytes; a second
	// pass settles it.
	for range 2 {
		l := len(h.text(n))
		n = (l + smvHeaderBytes - 1) / smvHeaderBytes * smvHeaderBytes
	}
	return n
}

// Text returns the header text as nanoBragg prints it, from "{" up to and
// including the closing "}\f", without the space padding. It is longer
// than 512 bytes when the numbers are long (see WriteSMV).
func (h SMVHeader) Text() string { return h.text(h.headerBytes()) }

func (h SMVHeader) text(headerBytes int) string {
	g := FormatG
	var b strings.Builder
	fmt.Fprintf(&b, "{\nHEADER_BYTES=%d;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\n", headerBytes)
	fmt.Fprintf(&b, "SIZE1=%d;\nSIZE2=%d;\nPIXEL_SIZE=%s;\nDISTANCE=%s;\n", h.SizeFast, h.SizeSlow, g(h.PixelSizeMM), g(h.DistanceMM))
	fmt.Fprintf(&b, "WAVELENGTH=%s;\n", g(h.WavelengthA))
	fmt.Fprintf(&b, "BEAM_CENTER_X=%s;\nBEAM_CENTER_Y=%s;\n", g(h.BeamCenterXMM), g(h.BeamCenterYMM))
	fmt.Fprintf(&b, "ADXV_CENTER_X=%s;\nADXV_CENTER_Y=%s;\n", g(h.ADXVCenterXMM), g(h.ADXVCenterYMM))
	fmt.Fprintf(&b, "MOSFLM_CENTER_X=%s;\nMOSFLM_CENTER_Y=%s;\n", g(h.MOSFLMCenterXMM), g(h.MOSFLMCenterYMM))
	fmt.Fprintf(&b, "DENZO_X_BEAM=%s;\nDENZO_Y_BEAM=%s;\n", g(h.DenzoXBeamMM), g(h.DenzoYBeamMM))
	// nanoBragg ends this line without a semicolon.
	fmt.Fprintf(&b, "DIALS_ORIGIN=%s,%s,%s\n", g(h.DialsOriginMM[0]), g(h.DialsOriginMM[1]), g(h.DialsOriginMM[2]))
	fmt.Fprintf(&b, "XDS_ORGX=%s;\nXDS_ORGY=%s;\n", g(h.XDSOrgX), g(h.XDSOrgY))
	fmt.Fprintf(&b, "CLOSE_DISTANCE=%s;\n", g(h.CloseDistanceMM))
	fmt.Fprintf(&b, "PHI=%s;\nOSC_START=%s;\nOSC_RANGE=%s;\n", g(h.PhiDeg), g(h.OscStartDeg), g(h.OscRangeDeg))
	fmt.Fprintf(&b, "TWOTHETA=%s;\n", g(h.TwoThetaDeg))
	if h.HasADCOffset {
		fmt.Fprintf(&b, "ADC_OFFSET=%s;\n", g(h.ADCOffset))
	}
	if h.NanoBraggBeam {
		fmt.Fprintf(&b, "NANOBRAGG_XBEAM=%s;\nNANOBRAGG_YBEAM=%s;\n", g(h.NanoBraggXbeamMM), g(h.NanoBraggYbeamMM))
	}
	b.WriteString("DETECTOR_SN=000;\nBEAMLINE=fake;\n}\f")
	return b.String()
}

// WriteSMV writes an SMV frame exactly as nanoBragg's -intfile and
// -noisefile outputs: the header text, space padding to 512 bytes, then
// the pixels as little-endian unsigned shorts (index = slow*SizeFast +
// fast). It fails, writing nothing, when len(pixels) is not
// SizeFast*SizeSlow.
//
// As in C, a header text longer than 512 bytes is written whole, without
// padding, and the pixels follow it although the header still says
// HEADER_BYTES=512 (golden case supervisor_roi has a 518-byte header).
// ReadSMV recognises such files; callers may warn when len(h.Text()) > 512.
func WriteSMV(w io.Writer, h SMVHeader, pixels []uint16) error {
	if h.SizeFast <= 0 || h.SizeSlow <= 0 {
		return fmt.Errorf("smv: image size %dx%d is not positive", h.SizeFast, h.SizeSlow)
	}
	if len(pixels) != h.SizeFast*h.SizeSlow {
		return fmt.Errorf("smv: %d pixels given for a %dx%d image", len(pixels), h.SizeFast, h.SizeSlow)
	}
	hb := h.headerBytes()
	text := h.text(hb)
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(text); err != nil {
		return err
	}
	if pad := hb - len(text); pad > 0 {
		if _, err := bw.Write(bytes.Repeat([]byte{' '}, pad)); err != nil {
			return err
		}
	}
	var buf [2]byte
	for _, p := range pixels {
		binary.LittleEndian.PutUint16(buf[:], p)
		if _, err := bw.Write(buf[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// SMV is an SMV frame read by ReadSMV.
type SMV struct {
	Header      string   // header text up to HeaderBytes (or its first NUL byte)
	HeaderBytes int      // HEADER_BYTES: offset of the pixel data
	Width       int      // SIZE1, fast pixels
	Height      int      // SIZE2, slow pixels
	Pixels      []uint16 // Width*Height values in native order, index = slow*Width + fast
}

// smvMagic is what nanoBragg's GetFrame compares the first 12 bytes with.
const smvMagic = "{\nHEADER_BYT"

// ErrNotSMV is returned (wrapped) by ReadSMV when a file does not start
// like an SMV (ADSC) header.
var ErrNotSMV = errors.New("not an SMV (ADSC) header")

// ReadSMV reads an SMV frame with nanoBragg's GetFrame rules: the file must
// begin with "{\nHEADER_BYT"; HEADER_BYTES (read from the first 512 bytes)
// gives the header length; SIZE1 and SIZE2 give width (fast) and height
// (slow), with DETECTOR_DIMENSIONS as a fallback for both when SIZE1 is
// missing or 0; the last BYTE_ORDER= decides whether pixels are swapped.
// Keys are looked up as Value does. name is used in error messages only.
//
// Unlike C, which reads what it can and leaves the rest zero, ReadSMV
// returns an error for a file too short or too long for its header and
// pixel data, for HEADER_BYTES, SIZE1 and SIZE2 values that are not whole
// positive numbers (C's atof reads "6x4" as 6), for a header text that runs
// past HEADER_BYTES, for a TYPE other than unsigned_short, and for an
// unknown byte order. It reads no more than the header promises plus one
// byte, so a device such as /dev/zero cannot fill memory. As in C the
// pixel data start at HEADER_BYTES rounded down to an even number, with
// one exception C does not make: when the header text ("{" to the first
// "}\f") runs past HEADER_BYTES and the file is exactly that text plus
// the pixels, as nanoBragg writes when its header overflows (see
// WriteSMV), the pixels are read from just after the text and HeaderBytes
// is that text's length.
//
// The size SIZE1 and SIZE2 give is checked before the pixels are read
// (see imageSize): at most MaxPixels, within the file's length when r is
// in memory or a regular file, and within the memory the machine has.
func ReadSMV(r io.Reader, name string) (*SMV, error) {
	return readSMV(r, name, remaining(r), 0)
}

// readSMV is ReadSMV of a file of fileBytes bytes (-1 when unknown) for a
// caller that allocates perPixel more bytes a pixel once it returns.
func readSMV(r io.Reader, name string, fileBytes, perPixel int64) (*SMV, error) {
	br := bufio.NewReader(r)
	data, err := readUpTo(br, nil, smvHeaderBytes)
	if err != nil {
		return nil, fmt.Errorf("smv %s: %w", name, err)
	}
	if len(data) < len(smvMagic) || string(data[:len(smvMagic)]) != smvMagic {
		return nil, fmt.Errorf("smv %s: %w (file does not begin with %q)", name, ErrNotSMV, smvMagic)
	}
	s := &SMV{Header: cString(data)}
	hb, err := s.sizeValue("HEADER_BYTES", maxSMVHeader)
	if err != nil {
		return nil, fmt.Errorf("smv %s: %w", name, err)
	}
	if hb < 1 {
		return nil, fmt.Errorf("smv %s: HEADER_BYTES=%d is not a positive size", name, hb)
	}
	// The header, and 1024 bytes more to find an overflowing header's end.
	if data, err = readUpTo(br, data, hb+1024); err != nil {
		return nil, fmt.Errorf("smv %s: %w", name, err)
	}
	if hb > len(data) {
		return nil, fmt.Errorf("smv %s: HEADER_BYTES=%d is larger than the %d-byte file", name, hb, len(data))
	}
	s.HeaderBytes = hb
	if s.HeaderBytes != smvHeaderBytes {
		s.Header = cString(data[:s.HeaderBytes])
	}
	end := bytes.Index(data, []byte("}\f"))
	pastEnd := func(err error) error {
		if end >= 0 && end+2 > hb {
			return fmt.Errorf("smv %s: the header text runs to byte %d, past HEADER_BYTES=%d", name, end+2, hb)
		}
		return fmt.Errorf("smv %s: %w", name, err)
	}

	swap, err := s.swapBytes()
	if err != nil {
		return nil, pastEnd(err)
	}
	if t, ok := s.rawValue("TYPE"); ok && t != "unsigned_short" {
		return nil, pastEnd(fmt.Errorf("header TYPE=%s: only unsigned_short pixels can be read", t))
	}
	sizeKey := "SIZE1"
	width, err := s.sizeValue("SIZE1", math.MaxInt)
	if err == nil && width == 0 || errors.Is(err, errNoKey) {
		// nanoBragg's fallback for other header dialects.
		if _, ok := s.rawValue("DETECTOR_DIMENSIONS"); ok {
			sizeKey = "DETECTOR_DIMENSIONS"
			width, err = s.sizeValue(sizeKey, math.MaxInt)
		}
	}
	height := width
	if err == nil && sizeKey == "SIZE1" {
		height, err = s.sizeValue("SIZE2", math.MaxInt)
	}
	if errors.Is(err, errNoKey) {
		return nil, pastEnd(errors.New("no SIZE1/SIZE2 (or DETECTOR_DIMENSIONS) in the header"))
	}
	if err != nil {
		return nil, pastEnd(err)
	}
	if width < 1 || height < 1 {
		return nil, fmt.Errorf("smv %s: image size SIZE1=%d SIZE2=%d is not a positive size", name, width, height)
	}
	size := imageSize{what: "header SIZE1/SIZE2 give", fast: width, slow: height}
	if sizeKey != "SIZE1" {
		size.what = "header " + sizeKey + " gives"
	}
	n, err := size.pixels()
	if err != nil {
		return nil, fmt.Errorf("smv %s: %w", name, err)
	}
	// C indexes the data as unsigned shorts from header_size/2.
	off := s.HeaderBytes / 2 * 2
	// The file holds the header and pixels (read into data) and the caller
	// gets Pixels and its own perPixel bytes a pixel.
	if err := size.bytes("2 bytes a pixel", int64(off), 2*int64(n), fileBytes, int64(off)+int64(n)*(2+2+perPixel)); err != nil {
		return nil, fmt.Errorf("smv %s: %w", name, err)
	}
	s.Width, s.Height = width, height

	// Read what either layout needs and one byte more, never more.
	limit := off + 2*n
	if end >= 0 {
		limit = max(limit, end+2+2*n)
	}
	if data, err = readUpTo(br, data, limit+1); err != nil {
		return nil, fmt.Errorf("smv %s: %w", name, err)
	}
	if end >= 0 && end+2 > s.HeaderBytes {
		if len(data) != end+2+2*n {
			return nil, pastEnd(nil)
		}
		// An overflowing nanoBragg header: its text ends past HEADER_BYTES.
		s.HeaderBytes = end + 2
		s.Header = cString(data[:s.HeaderBytes])
		off = s.HeaderBytes
	}
	need := off + 2*n
	if len(data) < need {
		return nil, fmt.Errorf("smv %s: truncated: %dx%d pixels after a %d-byte header need %d bytes, file has %d",
			name, s.Width, s.Height, s.HeaderBytes, need, len(data))
	}
	if len(data) > need {
		return nil, fmt.Errorf("smv %s: header %s gives %dx%d pixels (%d bytes after the %d-byte header), but the file holds more data",
			name, sizeKey, s.Width, s.Height, 2*n, s.HeaderBytes)
	}
	s.Pixels = make([]uint16, n)
	order := binary.ByteOrder(binary.LittleEndian)
	if swap {
		order = binary.BigEndian
	}
	for i := range s.Pixels {
		s.Pixels[i] = order.Uint16(data[off+2*i:])
	}
	return s, nil
}

// maxSMVHeader bounds HEADER_BYTES (real headers are 512 to a few KiB).
const maxSMVHeader = 1 << 20

// errNoKey is wrapped when a header key is missing.
var errNoKey = errors.New("key not in the header")

// rawValue returns the text of key's value: after the '=' that follows the
// key's last occurrence (as Value finds it), up to ';' or the line end,
// without surrounding blanks.
func (s *SMV) rawValue(key string) (string, bool) {
	rest, ok := afterLast(s.Header, key)
	if !ok {
		return "", false
	}
	eq := strings.IndexByte(rest, '=')
	if eq < 0 {
		return "", true
	}
	rest = rest[eq+1:]
	if end := strings.IndexAny(rest, ";\n"); end >= 0 {
		rest = rest[:end]
	}
	return strings.TrimSpace(rest), true
}

// sizeValue reads key as a whole number from 0 to below limit; anything
// else (such as SIZE1=6x4) is an error naming the key.
func (s *SMV) sizeValue(key string, limit int) (int, error) {
	v, ok := s.rawValue(key)
	if !ok {
		return 0, fmt.Errorf("%w: %s", errNoKey, key)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n >= limit {
		return 0, fmt.Errorf("header %s=%s is not a positive size (a whole number below %d)", key, v, limit)
	}
	return n, nil
}

// Number returns key's value as a finite number, strictly: ok is false when
// the key is missing, and a value that is not a whole finite number (such as
// BEAM_CENTER_X=abc or PIXEL_SIZE=nan, which C's atof reads as 0 and NaN)
// is an error naming the key.
func (s *SMV) Number(key string) (v float64, ok bool, err error) {
	text, ok := s.rawValue(key)
	if !ok {
		return 0, false, nil
	}
	v, perr := strconv.ParseFloat(text, 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, true, fmt.Errorf("header %s=%s is not a finite number", key, text)
	}
	return v, true, nil
}

// swapBytes decides from the last BYTE_ORDER= entry, as nanoBragg does by
// comparing its first 10 characters with "little_endian", whether the
// pixel data are big-endian.
func (s *SMV) swapBytes() (bool, error) {
	v, ok := afterLast(s.Header, "BYTE_ORDER=")
	if !ok {
		return false, errors.New("no BYTE_ORDER= in the header")
	}
	switch {
	case strings.HasPrefix(v, "little_end"):
		return false, nil
	case strings.HasPrefix(v, "big_endian"):
		return true, nil
	}
	end := strings.IndexAny(v, ";\n")
	if end < 0 {
		end = len(v)
	}
	return false, fmt.Errorf("unknown BYTE_ORDER %q", v[:end])
}

// Value returns the number after the last occurrence of key in the header,
// with nanoBragg's ValueOf rules: the key is matched as a plain substring
// anywhere (so "DISTANCE" finds the last one, which is in
// "CLOSE_DISTANCE="), the value is read with C's atof from just after the
// next '=' sign, and 0 is returned when no '=' follows. When key does not
// occur it returns NaN and false (C returns NaN).
func (s *SMV) Value(key string) (float64, bool) {
	return valueOf(s.Header, key)
}

func valueOf(header, key string) (float64, bool) {
	rest, ok := afterLast(header, key)
	if !ok {
		return math.NaN(), false
	}
	eq := strings.IndexByte(rest, '=')
	if eq < 0 {
		return 0, true
	}
	return atof(rest[eq+1:]), true
}

// afterLast returns the text after the last occurrence of key found by
// C's scan "while strstr(s, key): s = strstr(s, key) + len(key)" (which,
// unlike strings.LastIndex, never lets two matches overlap).
func afterLast(header, key string) (string, bool) {
	if key == "" {
		return header, false
	}
	found := false
	for {
		i := strings.Index(header, key)
		if i < 0 {
			return header, found
		}
		header = header[i+len(key):]
		found = true
	}
}
