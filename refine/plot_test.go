package refine_test

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"gobragg/raster"
	"gobragg/refine"
)

// TestWritePNG: observed and model images of one size give the three
// panels above the loss curve (1080 x 620 pixels); images of different
// sizes, or whose pixels do not fill their sizes, are refused with an
// error naming the image and nothing is written.
func TestWritePNG(t *testing.T) {
	const fast, slow = 6, 4
	pix := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(i % 5)
		}
		return v
	}
	model := pix(fast * slow)
	model[3] = math.NaN() // a pixel not fitted
	good := raster.Whole(pix(fast*slow), fast, slow)
	for _, tc := range []struct {
		name            string
		observed, model raster.Image[float64]
		err             string // "": accepted
	}{
		{"same size", good, raster.Whole(model, fast, slow), ""},
		{"sizes differ", good, raster.Whole(pix(slow*fast), slow, fast), "the observed image is 6x4 pixels, the model 4x6"},
		{"model short", good, raster.Image[float64]{Pix: pix(fast*slow - 1), Fast: fast, Slow: slow}, "the model image has 23 values for 6x4 pixels"},
		{"observed short", raster.Image[float64]{Pix: pix(3), Fast: fast, Slow: slow}, good, "the observed image has 3 values"},
	} {
		var b bytes.Buffer
		err := refine.WritePNG(&b, tc.observed, tc.model, []float64{10, 3, 1})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || b.Len() != 0 {
				t.Errorf("%s: error %v (%d bytes written), want one containing %q and nothing written", tc.name, err, b.Len(), tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		im, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if sz := im.Bounds().Size(); sz.X != 1080 || sz.Y != 620 {
			t.Errorf("%s: PNG is %dx%d, want 1080x620", tc.name, sz.X, sz.Y)
		}
	}
}
