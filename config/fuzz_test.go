package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Parse and Resolve take any command line: settings or an error, never a
// panic (-img and -mask name files that do not exist here).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"-cell 100 100 100 90 90 90 -default_F 100 -N 5",
		"-mat A.mat -roi 1 2 3 4 -misset random -misset_seed 5",
		"-detpixels 0", "-twotheta_axis 1 2", "-mode c-parity -misset_seed 1 2 3",
		"-divergence 1 -dispersion 5 -phisteps -3 -osc 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		for _, a := range args {
			if a == "-img" || a == "-mask" {
				return
			}
		}
		s, err := Parse(args)
		if err == nil {
			_ = s.Resolve()
		}
	})
}

// FuzzHeader: an -img or -mask file of any content gives settings or an
// error, never a panic, through the header keys and Resolve.
func FuzzHeader(f *testing.F) {
	good := "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\nSIZE1=4;\nSIZE2=3;\n" +
		"PIXEL_SIZE=0.2;\nDISTANCE=150;\nWAVELENGTH=1.5;\nBEAM_CENTER_X=0.3;\nBEAM_CENTER_Y=0.4;\nPHI=10;\nOSC_RANGE=0.5;\n}\f"
	seed := good + strings.Repeat(" ", 512-len(good)) + strings.Repeat("\x01\x00", 12)
	f.Add([]byte(seed), false)
	f.Add([]byte(seed), true)
	f.Add([]byte(strings.Replace(seed, "SIZE1=4", "SIZE1=4x3", 1)), true)
	path := filepath.Join(f.TempDir(), "h.img")
	f.Fuzz(func(t *testing.T, data []byte, mask bool) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		opt := "-img"
		if mask {
			opt = "-mask"
		}
		s, err := Parse([]string{opt, path, "-cell", "50", "60", "70", "80", "90", "100", "-default_F", "1"})
		if err == nil {
			_ = s.Resolve()
		}
	})
}
