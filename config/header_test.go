package config

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSMV writes a small SMV file (4x3 pixels, values 0..11) with the given
// header lines and returns its path.
func writeSMV(t *testing.T, name string, lines ...string) string {
	t.Helper()
	h := "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\nSIZE1=4;\nSIZE2=3;\n" +
		strings.Join(lines, "\n") + "\n}\f"
	if len(h) > 512 {
		t.Fatal("header too long")
	}
	b := []byte(h + strings.Repeat(" ", 512-len(h)))
	for i := 0; i < 12; i++ {
		b = binary.LittleEndian.AppendUint16(b, uint16(i))
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var headerLines = []string{"PIXEL_SIZE=0.2;", "CLOSE_DISTANCE=140;", "DISTANCE=150;", "WAVELENGTH=1.5;",
	"BEAM_CENTER_X=0.3;", "BEAM_CENTER_Y=0.4;", "ORGX=1.5;", "ORGY=2.5;", "PHI=10;", "OSC_RANGE=0.5;", "TWOTHETA=5;"}

func TestHeaderIngestion(t *testing.T) {
	path := writeSMV(t, "frame.img", headerLines...)
	for _, tc := range []struct {
		opt, mode string
		ybeam     float64
		twotheta  float64
	}{
		{"-img", "spec", rt(0.4) / 1000.0, 5 / rtd},
		{"-mask", "spec", rt(0.2)/1000.0*3 - rt(0.4)/1000.0, 5 / rtd}, // mask flips Y
		{"-img", "c-parity", rt(0.4) / 1000.0, 0},                     // C ignores TWOTHETA
		{"-mask", "c-parity", rt(0.2)/1000.0*3 - rt(0.4)/1000.0, 0},
	} {
		s := mustParse(t, tc.opt, path, "-mode", tc.mode)
		checks := []struct {
			what      string
			got, want float64
		}{
			{"FPixels", float64(s.FPixels), 4}, {"SPixels", float64(s.SPixels), 3},
			{"PixelSize", s.PixelSize, rt(0.2) / 1000.0}, {"DetsizeS", s.DetsizeS, rt(0.2) / 1000.0 * 3},
			{"Distance", s.Distance, rt(150) / 1000.0}, {"CloseDistance", s.CloseDistance, rt(140) / 1000.0},
			{"Lambda0", s.Lambda0, rt(1.5) / 1e10}, {"Xbeam", s.Xbeam, rt(0.3) / 1000.0}, {"Ybeam", s.Ybeam, tc.ybeam},
			{"ORGX", s.ORGX, 1.5}, {"ORGY", s.ORGY, 2.5}, {"Phi0", s.Phi0, 10 / rtd}, {"Osc", s.Osc, 0.5 / rtd},
			{"Twotheta", s.Twotheta, tc.twotheta},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s (%s): %s = %v, want %v", tc.opt, tc.mode, c.what, c.got, c.want)
			}
		}
		if tc.opt == "-mask" {
			if len(s.Mask) != 12 || s.Mask[0] != 0 || s.Mask[11] != 11 || s.MaskWidth != 4 || s.MaskHeight != 3 || s.MaskFile != path {
				t.Errorf("%s: mask %v (%dx%d) file %q", tc.mode, s.Mask, s.MaskWidth, s.MaskHeight, s.MaskFile)
			}
		} else if s.Mask != nil || s.ImgFile != path {
			t.Errorf("-img must not set a mask: %v, ImgFile %q", s.Mask, s.ImgFile)
		}
	}
}

// TestHeaderPrecedence: headers are read before the options (so options win
// wherever they appear), and the -img header after the -mask header.
func TestHeaderPrecedence(t *testing.T) {
	path := writeSMV(t, "frame.img", headerLines...)
	other := writeSMV(t, "other.img", "PIXEL_SIZE=0.2;", "DISTANCE=90;")
	for _, args := range [][]string{{"-distance", "200", "-img", path}, {"-img", path, "-distance", "200"}} {
		if s := mustParse(t, args...); s.Distance != rt(200)/1000.0 {
			t.Errorf("%q: distance %g, want 0.2 (options override the header)", args, s.Distance)
		}
	}
	for _, args := range [][]string{{"-img", other, "-mask", path}, {"-mask", path, "-img", other}} {
		s := mustParse(t, args...)
		if s.Distance != rt(90)/1000.0 || s.Mask == nil {
			t.Errorf("%q: distance %g mask %v, want the -img header (0.09) and the mask", args, s.Distance, s.Mask != nil)
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	dir := t.TempDir()
	notSMV := filepath.Join(dir, "plain.txt")
	os.WriteFile(notSMV, []byte("hello"), 0o644)
	badPixel := writeSMV(t, "bad.img", "PIXEL_SIZE=0;")
	good := writeSMV(t, "good.img", "PIXEL_SIZE=0.1;")
	tests := []struct {
		args    []string
		resolve bool
		option  string
		msg     string
	}{
		{[]string{"-img", notSMV}, false, "-img", "cannot read " + notSMV},
		{[]string{"-mask", notSMV}, false, "-mask", "cannot read " + notSMV},
		{[]string{"-img", badPixel}, false, "-img " + badPixel + " header PIXEL_SIZE", "pixel size must be positive"},
		{withBase("-mask", good, "-detpixels", "8"), true, "-mask", "mask is 4x3 pixels but the detector is 8x8"},
	}
	for _, tc := range tests {
		s, err := Parse(tc.args)
		if tc.resolve && err == nil {
			err = s.Resolve()
		}
		var ue *UsageError
		if !errors.As(err, &ue) || ue.Option != tc.option || !strings.Contains(ue.Msg, tc.msg) {
			t.Errorf("%q: got %v, want option %q and %q", tc.args, err, tc.option, tc.msg)
		}
	}
}
