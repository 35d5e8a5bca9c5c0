package imageio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"gobragg/internal/golden"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadSMVMask reads the golden mask file: a 64x64 frame with a
// 512-byte header whose keys the mask case uses.
func TestReadSMVMask(t *testing.T) {
	path := filepath.Join(golden.Require(t).Dir, "inputs", "mask64.img")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadSMV(bytes.NewReader(raw), path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 64 || s.Height != 64 || s.HeaderBytes != 512 || len(s.Pixels) != 64*64 {
		t.Fatalf("mask64.img: got %dx%d, header %d, %d pixels; want 64x64, 512, 4096", s.Width, s.Height, s.HeaderBytes, len(s.Pixels))
	}
	for i, p := range s.Pixels {
		if w := binary.LittleEndian.Uint16(raw[512+2*i:]); p != w {
			t.Fatalf("pixel %d = %d, file holds %d", i, p, w)
		}
	}
	for _, kv := range []struct {
		key  string
		want float64
	}{{"PIXEL_SIZE", 0.1}, {"DISTANCE", 80}, {"BEAM_CENTER_X", 3}, {"BEAM_CENTER_Y", 3.5}, {"SIZE1", 64}} {
		if v, ok := s.Value(kv.key); !ok || v != kv.want {
			t.Errorf("Value(%s) = %v, %v; want %v", kv.key, v, ok, kv.want)
		}
	}
	for _, key := range []string{"WAVELENGTH", "CLOSE_DISTANCE", "TWOTHETA", ""} {
		if v, ok := s.Value(key); ok || !math.IsNaN(v) {
			t.Errorf("Value(%q) = %v, %v; want NaN, false (absent)", key, v, ok)
		}
	}
}

// TestReadSMVGolden reads every golden intimage.img and checks the size,
// the header keys against the manifest and the pixels against the raw
// file. The supervisor frames have a 518-byte header (see WriteSMV).
func TestReadSMVGolden(t *testing.T) {
	m := golden.Require(t)
	n := 0
	for _, c := range m.Cases {
		if _, ok := c.Outputs["intimage.img"]; !ok {
			continue
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			raw := readGoldenOutput(t, m, &c, "intimage.img")
			s, err := ReadSMV(bytes.NewReader(raw), c.Name+"/intimage.img")
			if err != nil {
				t.Fatal(err)
			}
			if s.Width != c.Dims.Fast || s.Height != c.Dims.Slow {
				t.Fatalf("size %dx%d, manifest %dx%d", s.Width, s.Height, c.Dims.Fast, c.Dims.Slow)
			}
			off := len(raw) - 2*s.Width*s.Height
			if s.HeaderBytes != off {
				t.Errorf("HeaderBytes %d, pixels start at %d", s.HeaderBytes, off)
			}
			for i, p := range s.Pixels {
				if w := binary.LittleEndian.Uint16(raw[off+2*i:]); p != w {
					t.Fatalf("pixel %d = %d, file holds %d", i, p, w)
				}
			}
			h := parseHeaderText(t, c.SMVHeader)
			for _, kv := range []struct {
				key  string
				want float64
			}{{"PIXEL_SIZE", h.PixelSizeMM}, {"WAVELENGTH", h.WavelengthA}, {"BEAM_CENTER_Y", h.BeamCenterYMM},
				{"TWOTHETA", h.TwoThetaDeg}, {"OSC_RANGE", h.OscRangeDeg},
				// C's ValueOf finds the last "DISTANCE", inside CLOSE_DISTANCE,
				// and the last "ORGX", inside XDS_ORGX.
				{"DISTANCE", h.CloseDistanceMM}, {"ORGX", h.XDSOrgX}} {
				if v, ok := s.Value(kv.key); !ok || v != kv.want {
					t.Errorf("Value(%s) = %v, %v; header text gives %v", kv.key, v, ok, kv.want)
				}
			}
		})
	}
	if n < 50 {
		t.Errorf("only %d golden intimage.img files", n)
	}
}

// smvBytes builds a small SMV file from header lines (padded to
// headerBytes) and data.
func smvBytes(lines string, headerBytes int, data []byte) []byte {
	h := []byte(lines)
	for len(h) < headerBytes {
		h = append(h, ' ')
	}
	return append(h, data...)
}

func TestReadSMVByteOrderAndFallbacks(t *testing.T) {
	// Big-endian 2x3 frame with a 1024-byte header.
	data := make([]byte, 12)
	for i := 0; i < 6; i++ {
		binary.BigEndian.PutUint16(data[2*i:], uint16(1000+i))
	}
	raw := smvBytes("{\nHEADER_BYTES= 1024;\nDIM=2;\nBYTE_ORDER=big_endian;\nSIZE1=2;\nSIZE2=3;\n}\f", 1024, data)
	s, err := ReadSMV(bytes.NewReader(raw), "be.img")
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 2 || s.Height != 3 || s.HeaderBytes != 1024 {
		t.Fatalf("got %dx%d header %d", s.Width, s.Height, s.HeaderBytes)
	}
	for i, p := range s.Pixels {
		if p != uint16(1000+i) {
			t.Errorf("big-endian pixel %d = %d, want %d", i, p, 1000+i)
		}
	}
	// DETECTOR_DIMENSIONS when SIZE1 is missing; the last BYTE_ORDER wins.
	data = make([]byte, 8)
	binary.LittleEndian.PutUint16(data, 7)
	raw = smvBytes("{\nHEADER_BYTES=512;\nBYTE_ORDER=big_endian;\nBYTE_ORDER=little_endian;\nDETECTOR_DIMENSIONS=2;\n}\f", 512, data)
	s, err = ReadSMV(bytes.NewReader(raw), "dims.img")
	if err != nil {
		t.Fatal(err)
	}
	if s.Width != 2 || s.Height != 2 || s.Pixels[0] != 7 {
		t.Errorf("DETECTOR_DIMENSIONS frame: %dx%d, first pixel %d; want 2x2, 7", s.Width, s.Height, s.Pixels[0])
	}
}

// TestReadSMVMalformed checks that broken files are rejected with an
// error that names the file and the problem.
func TestReadSMVMalformed(t *testing.T) {
	px := make([]byte, 2*4*4)
	good := "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nSIZE1=4;\nSIZE2=4;\n}\f"
	cases := []struct {
		name, want string
		raw        []byte
	}{
		{"empty", "not an SMV", nil},
		{"pgm", "not an SMV", []byte("P5\n4 4\n255\n" + string(px))},
		{"short magic", "not an SMV", []byte("{\nHEADER")},
		{"no HEADER_BYTES", "no HEADER_BYTES", smvBytes("{\nHEADER_BYTX=512;\nBYTE_ORDER=little_endian;\nSIZE1=4;\nSIZE2=4;\n}\f", 512, px)},
		{"zero header", "not a positive size", smvBytes(strings.Replace(good, "=512", "=0", 1), 512, px)},
		{"negative header", "not a positive size", smvBytes(strings.Replace(good, "=512", "=-3", 1), 512, px)},
		{"header past end", "larger than the", smvBytes(strings.Replace(good, "=512", "=4096", 1), 512, px)},
		{"zero size", "SIZE1=0 SIZE2=4 is not a positive size", smvBytes(strings.Replace(good, "SIZE1=4", "SIZE1=0", 1), 512, px)},
		{"negative size", "not a positive size", smvBytes(strings.Replace(good, "SIZE2=4", "SIZE2=-4", 1), 512, px)},
		{"missing SIZE2", "no SIZE1/SIZE2", smvBytes(strings.Replace(good, "SIZE2=4;\n", "", 1), 512, px)},
		{"huge size", "not a positive size", smvBytes(strings.Replace(good, "SIZE1=4", "SIZE1=1e12", 1), 512, px)},
		{"truncated", "truncated", smvBytes(good, 512, px[:20])},
		{"header only", "truncated", smvBytes(good, 512, nil)},
		{"no byte order", "no BYTE_ORDER", smvBytes(strings.Replace(good, "BYTE_ORDER=little_endian;\n", "", 1), 512, px)},
		{"odd byte order", "unknown BYTE_ORDER \"middle_endian\"", smvBytes(strings.Replace(good, "little_endian", "middle_endian", 1), 512, px)},
		{"SIZE1 below the data", "SIZE1 gives 2x4 pixels", smvBytes(strings.Replace(good, "SIZE1=4", "SIZE1=2", 1), 512, px)},
		{"SIZE1 6x4", "SIZE1=6x4 is not a positive size", smvBytes(strings.Replace(good, "SIZE1=4", "SIZE1=6x4", 1), 512, px)},
		{"HEADER_BYTES below the text", "runs to byte", smvBytes(strings.Replace(good, "=512", "=32", 1), 512, px)},
		{"float pixels", "TYPE=float: only unsigned_short", smvBytes(strings.Replace(good, "DIM=2;", "TYPE=float;", 1), 512, px)},
	}
	for _, c := range cases {
		s, err := ReadSMV(bytes.NewReader(c.raw), c.name+".img")
		if err == nil {
			t.Errorf("%s: accepted (%dx%d)", c.name, s.Width, s.Height)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name+".img") {
			t.Errorf("%s: error %q should name the file and contain %q", c.name, err, c.want)
		}
	}
	// Number is strict where C's atof reads garbage as 0 or NaN.
	for _, kv := range []string{"PIXEL_SIZE=nan", "BEAM_CENTER_X=abc", "DISTANCE=1e999"} {
		h := strings.Replace(good, "DIM=2;", kv+";", 1)
		s, err := ReadSMV(bytes.NewReader(smvBytes(h, 512, px)), "k.img")
		if err != nil {
			t.Fatalf("%s: %v", kv, err)
		}
		key := kv[:strings.IndexByte(kv, '=')]
		if _, ok, err := s.Number(key); !ok || err == nil || !strings.Contains(err.Error(), kv) {
			t.Errorf("Number(%s) = %v, %v; want an error naming %s", key, ok, err, kv)
		}
	}
	_, err := ReadSMV(bytes.NewReader([]byte("hello")), "x")
	if !errors.Is(err, ErrNotSMV) {
		t.Errorf("non-SMV error %v does not wrap ErrNotSMV", err)
	}
}

// TestValueOfQuirks pins C's ValueOf rules.
func TestValueOfQuirks(t *testing.T) {
	h := "{\nPHI=1;\nKEY;\nOTHER=5;\nAAA=3;\nX=7;\nX=8;\nDISTANCE=100;\nCLOSE_DISTANCE=90;\n}"
	cases := []struct {
		key  string
		want float64
	}{
		{"PHI", 1},
		{"KEY", 5},       // no '=' right after: the next '=' in the header is used
		{"X", 8},         // last occurrence
		{"DISTANCE", 90}, // found inside CLOSE_DISTANCE
		{"AA", 3},        // non-overlapping scan: "AA" at the start of "AAA", then "A=3"
		{"}", 0},         // key present, no '=' after it
	}
	for _, c := range cases {
		if v, ok := valueOf(h, c.key); !ok || v != c.want {
			t.Errorf("valueOf(%q) = %v, %v; want %v", c.key, v, ok, c.want)
		}
	}
}

// TestSMVRoundTrip writes a frame with an overlong header and one with a
// short header, reads them back and checks the pixels.
func TestSMVRoundTrip(t *testing.T) {
	pix := []uint16{0, 1, 65535, 40, 1234, 7}
	for _, h := range []SMVHeader{
		{SizeFast: 3, SizeSlow: 2, PixelSizeMM: 0.1, DistanceMM: 100, WavelengthA: 1},
		{SizeFast: 3, SizeSlow: 2, PixelSizeMM: -0.123457, DistanceMM: -123457, WavelengthA: -1.23457e-10,
			BeamCenterXMM: -1.23457e-10, BeamCenterYMM: -1.23457e-10, ADXVCenterXMM: -1.23457e-10, ADXVCenterYMM: -1.23457e-10,
			MOSFLMCenterXMM: -1.23457e-10, MOSFLMCenterYMM: -1.23457e-10, DenzoXBeamMM: -1.23457e-10, DenzoYBeamMM: -1.23457e-10,
			DialsOriginMM: [3]float64{-1.23457e-10, -1.23457e-10, -1.23457e-10}, XDSOrgX: -1.23457e-10, XDSOrgY: -1.23457e-10},
	} {
		var buf bytes.Buffer
		if err := WriteSMV(&buf, h, pix); err != nil {
			t.Fatal(err)
		}
		text := h.Text()
		wantLen := max(512, len(text)) + 2*len(pix)
		if buf.Len() != wantLen {
			t.Errorf("file is %d bytes, want %d (header text %d)", buf.Len(), wantLen, len(text))
		}
		s, err := ReadSMV(&buf, "roundtrip")
		if err != nil {
			t.Fatal(err)
		}
		if s.Width != 3 || s.Height != 2 || s.HeaderBytes != max(512, len(text)) {
			t.Errorf("read back %dx%d header %d", s.Width, s.Height, s.HeaderBytes)
		}
		for i := range pix {
			if s.Pixels[i] != pix[i] {
				t.Errorf("header %d bytes: pixel %d = %d, wrote %d", len(text), i, s.Pixels[i], pix[i])
			}
		}
		if v, _ := s.Value("PIXEL_SIZE"); v != h.PixelSizeMM {
			t.Errorf("PIXEL_SIZE read back %v, wrote %v", v, h.PixelSizeMM)
		}
	}
	if err := WriteSMV(&bytes.Buffer{}, SMVHeader{SizeFast: 2, SizeSlow: 2}, pix); err == nil {
		t.Error("WriteSMV accepted 6 pixels for a 2x2 frame")
	}
}
