package imageio

import (
	"bytes"
	"cmp"
	"image"
	"image/png"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gobragg/internal/golden"
	"gobragg/raster"
)

func TestIntensityScale(t *testing.T) {
	for _, s := range []Stretch{Asinh, Log, Linear} {
		prev := -1.0
		for _, v := range []float64{-1, 0, 1e-6, 1e-3, 0.01, 0.1, 1, 10, 99, 100, 1e6} {
			got := IntensityScale(v, 100, s)
			if got < 0 || got > 1 || got < prev {
				t.Errorf("%v: IntensityScale(%v) = %v (previous %v): want non-decreasing in [0,1]", s, v, got, prev)
			}
			prev = got
		}
		if got := IntensityScale(100, 100, s); got != 1 {
			t.Errorf("%v: limit maps to %v, want 1", s, got)
		}
		if got := IntensityScale(math.NaN(), 100, s); got != 0 {
			t.Errorf("%v: NaN maps to %v, want 0", s, got)
		}
	}
	// Asinh keeps faint background visible: 1% of the limit is well above
	// the bottom of the range.
	if got := IntensityScale(1, 100, Asinh); got < 0.3 {
		t.Errorf("asinh: 1%% of the limit maps to %v, want >= 0.3", got)
	}
}

func TestColormap(t *testing.T) {
	for _, m := range []ColorMap{Viridis, Inferno, Grey} {
		lo, hi := Colormap(m, 0), Colormap(m, 1)
		lum := func(t float64) float64 {
			c := Colormap(m, t)
			return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
		}
		prev := -1.0
		for i := 0; i <= 100; i++ {
			l := lum(float64(i) / 100)
			if l < prev-1 { // perceptual maps get brighter monotonically
				t.Errorf("%v: luminance falls from %v to %v at t=%v", m, prev, l, float64(i)/100)
			}
			prev = l
		}
		if lo.A != 255 || hi.A != 255 || lum(1) <= lum(0) {
			t.Errorf("%v: ends %v %v", m, lo, hi)
		}
		if Colormap(m, -3) != lo || Colormap(m, 7) != hi || Colormap(m, math.NaN()) != lo {
			t.Errorf("%v: out-of-range t not clamped", m)
		}
	}
	if c := Colormap(Viridis, 0.5); c.R != 0x21 || c.G != 0x91 || c.B != 0x8c {
		t.Errorf("viridis(0.5) = %v, want matplotlib's #21918c", c)
	}
	if name, err := ParseColorMap("inferno"); err != nil || name != Inferno {
		t.Errorf("ParseColorMap(inferno) = %v, %v", name, err)
	}
	if _, err := ParseColorMap("jet"); err == nil {
		t.Error("ParseColorMap accepted jet")
	}
}

// TestWritePNGSpotVisible renders a 4100x3 frame of faint background with
// one single-pixel Bragg spot: the PNG must be shrunk below 2048 pixels
// wide and the spot must still be the brightest colour.
func TestWritePNGSpotVisible(t *testing.T) {
	const fast, slow = 4100, 3
	img := make([]float32, fast*slow)
	for i := range img {
		img[i] = 0.01
	}
	spot := 1*fast + 3001
	img[spot] = 500
	var buf bytes.Buffer
	if err := WritePNG(&buf, raster.Whole(img, fast, slow), PNGOptions{}); err != nil {
		t.Fatal(err)
	}
	pic, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	b := pic.Bounds()
	if b.Dx() != 1367 || b.Dy() != 1 {
		t.Fatalf("PNG is %dx%d, want 1367x1 (shrunk by 3)", b.Dx(), b.Dy())
	}
	top := Colormap(Viridis, 1)
	r, g, bl, _ := pic.At(3001/3, 0).RGBA()
	if uint8(r>>8) != top.R || uint8(g>>8) != top.G || uint8(bl>>8) != top.B {
		t.Errorf("spot pixel colour %d,%d,%d, want the top colour %v", r>>8, g>>8, bl>>8, top)
	}
	r, g, bl, _ = pic.At(10, 0).RGBA()
	if bg := (Colormap(Viridis, IntensityScale(0.01, DisplayLimit(img), Asinh))); uint8(r>>8) != bg.R || uint8(g>>8) != bg.G || uint8(bl>>8) != bg.B {
		t.Errorf("background colour %d,%d,%d, want %v", r>>8, g>>8, bl>>8, bg)
	}
}

func TestDisplayLimit(t *testing.T) {
	img := make([]float32, 10000)
	for i := range img {
		img[i] = float32(i % 100) // 0..99, 9900 positive values
	}
	img[5] = 1e9 // one hot pixel must not set the range
	if got := DisplayLimit(img); got != 99 {
		t.Errorf("DisplayLimit = %v, want 99", got)
	}
	if got := DisplayLimit(make([]float32, 4)); got != 1 {
		t.Errorf("DisplayLimit of a blank image = %v, want 1", got)
	}
}

// TestWritePNGGolden renders golden float images in every map and
// stretch: the brightest pixel must get the top colour.
func TestWritePNGGolden(t *testing.T) {
	dir := golden.Require(t).Dir
	img, err := ReadFloatImageFile(filepath.Join(dir, "mosflm_default", "floatimage.bin"), 128, 128)
	if err != nil {
		t.Fatal(err)
	}
	st := ImageStats(raster.Image[float32]{Pix: img, Fast: 128, Slow: 128, ROI: raster.ROI{0, 128, 0, 128}}, nil)
	for _, m := range []ColorMap{Viridis, Inferno, Grey} {
		for _, s := range []Stretch{Asinh, Log, Linear} {
			var buf bytes.Buffer
			opt := PNGOptions{Stretch: s, Map: m}
			if err := WritePNG(&buf, raster.Whole(img, 128, 128), opt); err != nil {
				t.Fatal(err)
			}
			pic, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if pic.Bounds() != image.Rect(0, 0, 128, 128) {
				t.Fatalf("PNG bounds %v", pic.Bounds())
			}
			top := Colormap(m, 1)
			x, y := st.MaxIndex%128, st.MaxIndex/128
			r, g, b, _ := pic.At(x, y).RGBA()
			if uint8(r>>8) != top.R || uint8(g>>8) != top.G || uint8(b>>8) != top.B {
				t.Errorf("%v/%v: brightest pixel colour %d,%d,%d, want %v", m, s, r>>8, g>>8, b>>8, top)
			}
		}
	}
	if err := WritePNG(&bytes.Buffer{}, raster.Whole(img, 127, 128), PNGOptions{}); err == nil {
		t.Error("WritePNG accepted a wrong size")
	}
}

// TestPreviewBackgroundIsSmooth renders a smooth water-like background
// falling from 7 photons in the centre to 4 at the edge, with a grid of
// 400-photon spots, in grey: the background must come out dim, unclipped
// (brightness rising strictly with intensity, so no sharp-edged region
// appears where it crosses a black level) and without jumps between
// neighbours, the spots bright. The old black level at the 90th percentile
// clipped nine tenths of the background to black and drew the rest as a
// bright ellipse.
func TestPreviewBackgroundIsSmooth(t *testing.T) {
	const n = 128
	img := make([]float32, n*n)
	spot := func(f, s int) bool { return f%16 == 8 && s%16 == 8 }
	for s := 0; s < n; s++ {
		for f := 0; f < n; f++ {
			r2 := float64((f-n/2)*(f-n/2)+(s-n/2)*(s-n/2)) / float64(n*n/2)
			img[s*n+f] = float32(4 + 3*math.Exp(-3*r2))
			if spot(f, s) {
				img[s*n+f] = 400
			}
		}
	}
	var buf bytes.Buffer
	if err := WritePNG(&buf, raster.Whole(img, n, n), PNGOptions{Map: Grey}); err != nil {
		t.Fatal(err)
	}
	pic, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	grey := func(f, s int) int { r, _, _, _ := pic.At(f, s).RGBA(); return int(r >> 8) }
	type px struct {
		v float32
		g int
	}
	var bg []px
	maxJump := 0
	for s := 0; s < n; s++ {
		for f := 0; f < n; f++ {
			if spot(f, s) {
				if g := grey(f, s); g < 230 {
					t.Errorf("spot at %d,%d has grey %d, want bright", f, s, g)
				}
				continue
			}
			bg = append(bg, px{img[s*n+f], grey(f, s)})
			if f+1 < n && !spot(f+1, s) {
				maxJump = max(maxJump, abs(grey(f, s)-grey(f+1, s)))
			}
		}
	}
	slices.SortFunc(bg, func(a, b px) int { return cmp.Compare(a.v, b.v) })
	lo, hi := bg[0], bg[len(bg)-1]
	if lo.g < 10 || hi.g > 110 || hi.g-lo.g < 10 {
		t.Errorf("background %.2f..%.2f photons shown as grey %d..%d, want dim (10..110) and its gradient visible", lo.v, hi.v, lo.g, hi.g)
	}
	// Brightness follows intensity: the dimmest tenth of the background is
	// darker than the median, which is darker than the brightest tenth.
	q := func(p int) int { return bg[p*(len(bg)-1)/100].g }
	if !(q(5) < q(50) && q(50) < q(95)) {
		t.Errorf("background greys at 5, 50, 95 %%: %d %d %d, want increasing (not clipped)", q(5), q(50), q(95))
	}
	if maxJump > 3 {
		t.Errorf("neighbouring background pixels differ by up to %d grey levels, want a smooth background", maxJump)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestSoftLevel: median plus three robust sigmas, ignoring spots and NaN;
// an image without background softens at a thousandth of the limit.
func TestSoftLevel(t *testing.T) {
	img := []float32{1, 2, 3, 4, 5, 1000, float32(math.NaN())}
	if m, s := BackgroundLevel(img); m != 4 || math.Abs(s-1.4826*2) > 1e-12 {
		t.Errorf("BackgroundLevel = %v, %v; want 4, %v", m, s, 1.4826*2)
	}
	if got := SoftLevel(img, 500); math.Abs(got-(4+3*1.4826*2)) > 1e-12 {
		t.Errorf("SoftLevel = %v", got)
	}
	if got := SoftLevel(make([]float32, 10), 500); got != 0.5 {
		t.Errorf("SoftLevel of a blank image = %v, want 0.5", got)
	}
	// PNGOptions.Soft (-png_scale) replaces the default: a larger scale
	// shows the background darker.
	img = []float32{4, 5, 6, 5, 4, 400}
	grey := func(soft float64) int {
		var buf bytes.Buffer
		if err := WritePNG(&buf, raster.Whole(img, 6, 1), PNGOptions{Map: Grey, Soft: soft}); err != nil {
			t.Fatal(err)
		}
		pic, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		r, _, _, _ := pic.At(1, 0).RGBA()
		return int(r >> 8)
	}
	if dim, bright := grey(50), grey(2); !(dim < bright) {
		t.Errorf("background grey %d with Soft 50, %d with Soft 2: want darker with the larger scale", dim, bright)
	}
	if err := WritePNG(&bytes.Buffer{}, raster.Whole(img, 6, 1), PNGOptions{Soft: -1}); err == nil {
		t.Error("a negative Soft was accepted")
	}
}
