package imageio

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"gobragg/internal/golden"
	"gobragg/raster"
)

func TestIntImageRounding(t *testing.T) {
	roi := raster.ROI{0, 3, 0, 0}
	cases := []struct {
		name       string
		v          float32
		scale, adc float64
		want       uint16
	}{
		{"round half up", 1, 2.5, 0, 3},
		{"round down", 1, 2.49, 0, 2},
		// 2.4999999+0.5 = 2.9999999 in double, 3.0 once rounded to float
		// for floorf: C gives 3 where a double floor would give 2.
		{"floorf takes a float", 1, 2.4999999, 0, 3},
		{"adc offset", 0, 1000, 40, 40},
		{"clamp high", 1e6, 1, 40, 65535},
		{"clamp low", -5, 1, 0, 0},
		{"NaN", float32(math.NaN()), 1, 40, 0},
	}
	for _, c := range cases {
		img := []float32{c.v, 0, 0, 0}
		got := IntImage(raster.Image[float32]{Pix: img, Fast: 4, Slow: 1, ROI: roi}, c.scale, c.adc)[0]
		if got != c.want {
			t.Errorf("%s: IntImage(%v*%v+%v) = %d, want %d", c.name, c.v, c.scale, c.adc, got, c.want)
		}
	}
}

func TestIntImageROI(t *testing.T) {
	img := make([]float32, 5*4)
	got := IntImage(raster.Image[float32]{Pix: img, Fast: 5, Slow: 4, ROI: raster.ROI{1, 3, 2, 2}}, 1, 40)
	for i, v := range got {
		f, s := i%5, i/5
		want := uint16(0)
		if f >= 1 && f <= 3 && s == 2 {
			want = 40
		}
		if v != want {
			t.Errorf("pixel fast %d slow %d = %d, want %d (outside the ROI stays 0)", f, s, v, want)
		}
	}
}

func TestAutoScales(t *testing.T) {
	if got := AutoIntScale(97.28060913085938); FormatG(got) != "565.375" {
		t.Errorf("AutoIntScale = %s, C log says 565.375", FormatG(got))
	}
	if got := AutoIntScale(0); got != 1 {
		t.Errorf("AutoIntScale(0) = %v, want 1", got)
	}
	if got := AutoPGMScale(0, 7); got != 7 {
		t.Errorf("AutoPGMScale(0, 7) = %v, want the int scale 7", got)
	}
	if got := AutoPGMScale(10, 7); got != 5 {
		t.Errorf("AutoPGMScale(10, 7) = %v, want 250/50", got)
	}
}

func TestPGMBytes(t *testing.T) {
	img := []float32{0.9, 1.99, 300, -2, float32(math.NaN()), 100}
	got := PGMBytes(raster.Whole(img, 3, 2), 2)
	want := []byte{1, 3, 255, 0, 0, 200}
	if !bytes.Equal(got.Pix, want) {
		t.Errorf("PGMBytes = %v, want %v", got, want)
	}
	var buf bytes.Buffer
	if err := WritePGM(&buf, got, 1.0/3); err != nil {
		t.Fatal(err)
	}
	if head := "P5\n3 2\n# pixels scaled by 0.333333\n255\n"; buf.String() != head+string(want) {
		t.Errorf("WritePGM wrote %q", buf.String())
	}
	if err := WritePGM(&buf, raster.Image[byte]{Pix: got.Pix, Fast: 3, Slow: 3}, 1); err == nil {
		t.Error("WritePGM accepted 6 bytes for 3x3")
	}
}

// TestImageStatsGolden recomputes C's printed statistics ("max_I = %g",
// "mean= %g rms= %g rmsd= %g") from each golden float image; the printed
// 6 digits must agree exactly. The mask case uses inputs/mask64.img.
func TestImageStatsGolden(t *testing.T) {
	m := golden.Require(t)
	dir := m.Dir
	maxRe := regexp.MustCompile(`(?m)^max_I = (\S+)`)
	meanRe := regexp.MustCompile(`(?m)^mean= (\S+) rms= (\S+) rmsd= (\S+)$`)
	for _, c := range m.Cases {
		if _, ok := c.Outputs["floatimage.bin"]; !ok {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			log, err := os.ReadFile(filepath.Join(dir, c.Name, "c.log"))
			if err != nil {
				t.Fatal(err)
			}
			fast, slow := c.Dims.Fast, c.Dims.Slow
			img, err := ReadFloat32(bytes.NewReader(readGoldenOutput(t, m, &c, "floatimage.bin")), fast*slow, c.Name)
			if err != nil {
				t.Fatal(err)
			}
			var mask []uint16
			for i, a := range c.Args {
				if a == "-mask" {
					raw, err := os.ReadFile(filepath.Join(dir, c.Args[i+1]))
					if err != nil {
						t.Fatal(err)
					}
					m, err := ReadSMV(bytes.NewReader(raw), c.Args[i+1])
					if err != nil {
						t.Fatal(err)
					}
					mask = m.Pixels
				}
			}
			st := ImageStats(raster.Image[float32]{Pix: img, Fast: fast, Slow: slow, ROI: argROI(t, c.Args, fast, slow)}, mask)
			mm := maxRe.FindSubmatch(log)
			sm := meanRe.FindSubmatch(log)
			if mm == nil || sm == nil {
				t.Fatal("c.log has no max_I/mean lines")
			}
			for _, p := range []struct {
				what string
				got  float64
				want []byte
			}{{"max_I", st.MaxI, mm[1]}, {"mean", st.Mean, sm[1]}, {"rms", st.RMS, sm[2]}, {"rmsd", st.RMSD, sm[3]}} {
				if FormatG(p.got) != string(p.want) {
					t.Errorf("%s = %s, C printed %s", p.what, FormatG(p.got), p.want)
				}
			}
		})
	}
}

func TestFloat32RoundTrip(t *testing.T) {
	img := []float32{0, -1.5, float32(math.Inf(1)), 3.25e-20, math.MaxFloat32}
	var buf bytes.Buffer
	if err := WriteFloat32(&buf, img); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 20 || !bytes.Equal(buf.Bytes()[4:8], []byte{0, 0, 0xc0, 0xbf}) {
		t.Fatalf("WriteFloat32 bytes % x, want little-endian float32", buf.Bytes())
	}
	raw := buf.Bytes()
	got, err := ReadFloat32(bytes.NewReader(raw), 5, "x")
	if err != nil {
		t.Fatal(err)
	}
	for i := range img {
		if got[i] != img[i] {
			t.Errorf("value %d read back as %v, wrote %v", i, got[i], img[i])
		}
	}
	for _, n := range []int{4, 6} {
		if _, err := ReadFloat32(bytes.NewReader(raw), n, "img.bin"); err == nil {
			t.Errorf("ReadFloat32 of 5 values accepted n=%d", n)
		}
	}
	p := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(p, raw[:16], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFloatImageFile(p, 2, 2); err != nil {
		t.Errorf("ReadFloatImageFile 2x2: %v", err)
	}
	if _, err := ReadFloatImageFile(p, 3, 2); err == nil {
		t.Error("ReadFloatImageFile accepted a 16-byte file as 3x2")
	}
}
