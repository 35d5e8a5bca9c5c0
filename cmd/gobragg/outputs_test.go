package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestDefaultRunWritesAllOutputs runs nanoBragg's default command line
// (no output options: floatimage.bin, intimage.img, noiseimage.img and
// image.pgm, plus gobragg's -pngfile) on a non-square detector twice in the
// same directory, and checks after each run that exactly the expected files
// exist with the right sizes and headers and that no temporary file is left.
// The second run replaces the files of the first.
func TestDefaultRunWritesAllOutputs(t *testing.T) {
	const fast, slow = 48, 40
	dir := t.TempDir()
	args := []string{"-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "5",
		"-lambda", "1", "-distance", "100", "-pixel", "0.1",
		"-detpixels_x", fmt.Sprint(fast), "-detpixels_y", fmt.Sprint(slow), "-seed", "1", "-noprogress",
		"-pngfile", "preview.png"}
	want := []string{"floatimage.bin", "image.pgm", "intimage.img", "noiseimage.img", "preview.png"}
	for pass := 1; pass <= 2; pass++ {
		if pass == 2 {
			// Stale content the second run must replace whole.
			for _, name := range want {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("stale"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		r := mustRun(t, dir, args...)
		if got := listDir(t, dir); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d left %v, want %v (no temporary files)", pass, got, want)
		}
		read := func(name string) []byte {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if n := len(read("floatimage.bin")); n != 4*fast*slow {
			t.Errorf("run %d: floatimage.bin has %d bytes, want %d", pass, n, 4*fast*slow)
		}
		for _, name := range []string{"intimage.img", "noiseimage.img"} {
			b := read(name)
			if len(b) != 512+2*fast*slow {
				t.Errorf("run %d: %s has %d bytes, want %d", pass, name, len(b), 512+2*fast*slow)
				continue
			}
			h := string(b[:512])
			for _, kv := range []string{"{\nHEADER_BYTES=512;", fmt.Sprintf("SIZE1=%d;", fast), fmt.Sprintf("SIZE2=%d;", slow), "TYPE=unsigned_short;"} {
				if !strings.Contains(h, kv) {
					t.Errorf("run %d: %s header lacks %q", pass, name, kv)
				}
			}
		}
		pgm := read("image.pgm")
		// P5 header: magic, size, one comment line, maxval; then one byte a pixel.
		hdr := fmt.Sprintf("P5\n%d %d\n", fast, slow)
		if !bytes.HasPrefix(pgm, []byte(hdr)) {
			t.Errorf("run %d: image.pgm starts %q, want %q", pass, pgm[:min(len(pgm), 20)], hdr)
		} else if i := bytes.Index(pgm, []byte("\n255\n")); i < 0 || len(pgm)-(i+5) != fast*slow {
			t.Errorf("run %d: image.pgm has %d bytes, not a header and %d pixels", pass, len(pgm), fast*slow)
		}
		img, err := png.Decode(bytes.NewReader(read("preview.png")))
		if err != nil {
			t.Errorf("run %d: preview.png: %v", pass, err)
		} else if b := img.Bounds(); b.Dx() != fast || b.Dy() != slow {
			t.Errorf("run %d: preview.png is %dx%d, want %dx%d", pass, b.Dx(), b.Dy(), fast, slow)
		}
		for _, name := range []string{"floatimage.bin", "intimage.img", "noiseimage.img", "image.pgm", "preview.png"} {
			if !strings.Contains(r.stdout, "writing "+name) {
				t.Errorf("run %d: stdout does not report writing %s", pass, name)
			}
		}
	}
}
