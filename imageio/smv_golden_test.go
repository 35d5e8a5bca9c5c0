package imageio

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gobragg/internal/golden"
	"gobragg/raster"
)

// TestWriteSMVGolden rebuilds every golden intimage.img from the golden
// float image and the manifest's header numbers and compares whole files.
// Pixels follow C's int conversion (IntImage) with -scale or the automatic
// scale from max_I, and -adc or 40. The header must match byte for byte;
// pixels must all match (the brief allows 0.01% mismatches, none occur).
func TestWriteSMVGolden(t *testing.T) {
	m := golden.Require(t)
	tested := 0
	for _, c := range m.Cases {
		if _, ok := c.Outputs["intimage.img"]; !ok {
			continue
		}
		if _, ok := c.Outputs["floatimage.bin"]; !ok {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			fast, slow := c.Dims.Fast, c.Dims.Slow
			want := readGoldenOutput(t, m, &c, "intimage.img")
			fraw := readGoldenOutput(t, m, &c, "floatimage.bin")
			img, err := ReadFloat32(bytes.NewReader(fraw), fast*slow, c.Name+"/floatimage.bin")
			if err != nil {
				t.Fatal(err)
			}
			roi := argROI(t, c.Args, fast, slow)
			scale, ok := argFloat(t, c.Args, "-scale")
			if !ok || scale <= 0 {
				scale = AutoIntScale(ImageStats(raster.Image[float32]{Pix: img, Fast: fast, Slow: slow, ROI: roi}, nil).MaxI)
			}
			adc, ok := argFloat(t, c.Args, "-adc")
			if !ok {
				adc = 40
			}
			h := parseHeaderText(t, c.SMVHeader)
			var buf bytes.Buffer
			if err := WriteSMV(&buf, h, IntImage(raster.Image[float32]{Pix: img, Fast: fast, Slow: slow, ROI: roi}, scale, adc)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			if len(got) != len(want) {
				t.Fatalf("file is %d bytes, C wrote %d", len(got), len(want))
			}
			if !bytes.Equal(got[:512], want[:512]) {
				t.Fatalf("header differs:\n got %q\nwant %q", got[:512], want[:512])
			}
			bad, first := 0, -1
			for i := 512; i < len(got); i += 2 {
				if got[i] != want[i] || got[i+1] != want[i+1] {
					if first < 0 {
						first = (i - 512) / 2
					}
					bad++
				}
			}
			n := fast * slow
			t.Logf("%dx%d, scale %s, adc %s: %d of %d pixels differ", fast, slow, FormatG(scale), FormatG(adc), bad, n)
			if bad > 0 {
				g := uint16(got[512+2*first]) | uint16(got[513+2*first])<<8
				w := uint16(want[512+2*first]) | uint16(want[513+2*first])<<8
				t.Errorf("%d of %d pixels differ; first at index %d (slow %d fast %d): got %d, C %d (float %v)",
					bad, n, first, first/fast, first%fast, g, w, img[first])
			}
		})
		tested++
	}
	if tested < 50 {
		t.Errorf("only %d golden cases with intimage.img and floatimage.bin found", tested)
	}
}

// TestPGMGolden rebuilds the two golden PGM files byte for byte: pgm scale
// from -pgmscale, else 250/(5*rmsd) from C-order statistics.
func TestPGMGolden(t *testing.T) {
	m := golden.Require(t)
	dir := m.Dir
	for _, name := range []string{"mosflm_default", "noise_adc_scale_pgmscale"} {
		t.Run(name, func(t *testing.T) {
			c, ok := m.Case(name)
			if !ok {
				t.Fatalf("case %s not in manifest", name)
			}
			fast, slow := c.Dims.Fast, c.Dims.Slow
			img, err := ReadFloatImageFile(filepath.Join(dir, name, "floatimage.bin"), fast, slow)
			if err != nil {
				t.Fatal(err)
			}
			roi := argROI(t, c.Args, fast, slow)
			im := raster.Image[float32]{Pix: img, Fast: fast, Slow: slow, ROI: roi}
			st := ImageStats(im, nil)
			intScale, ok := argFloat(t, c.Args, "-scale")
			if !ok || intScale <= 0 {
				intScale = AutoIntScale(st.MaxI)
			}
			scale, ok := argFloat(t, c.Args, "-pgmscale")
			if !ok || scale <= 0 {
				scale = AutoPGMScale(st.RMSD, intScale)
			}
			var buf bytes.Buffer
			if err := WritePGM(&buf, PGMBytes(im, scale), scale); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, name, "image.pgm"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("PGM differs from C (scale %s): %s", FormatG(scale), firstDiff(buf.Bytes(), want))
			}
		})
	}
}

// firstDiff describes where two byte slices first differ.
func firstDiff(got, want []byte) string {
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("byte %d: got %d, C %d", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(got), len(want))
}
