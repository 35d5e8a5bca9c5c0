package compare

import (
	"image/color"
	"math"
	"testing"

	"gobragg/imageio"
	"gobragg/raster"
)

func TestInvStretch(t *testing.T) {
	for _, s := range []imageio.Stretch{imageio.Log, imageio.Asinh, imageio.Linear} {
		for _, limit := range []float64{1e-3, 1, 97.28, 4e5} {
			for _, u := range []float64{0, 0.1, 0.25, 0.5, 0.75, 0.999, 1} {
				v := invStretch(u, limit, s)
				back := imageio.IntensityScale(v, limit, s)
				if math.Abs(back-u) > 1e-9 {
					t.Errorf("%s limit %g: IntensityScale(invStretch(%g)) = %g", s, limit, u, back)
				}
			}
		}
	}
}

func TestDiverging(t *testing.T) {
	tests := []struct {
		t    float64
		want color.RGBA
	}{
		{-1, color.RGBA{5, 48, 97, 255}},
		{-5, color.RGBA{5, 48, 97, 255}},
		{0, color.RGBA{247, 247, 247, 255}},
		{1, color.RGBA{103, 0, 31, 255}},
		{0.125, color.RGBA{246, 206, 189, 255}}, // halfway between the white and the first red knot
		{math.NaN(), nanFill},
	}
	for _, tc := range tests {
		if got := Diverging(tc.t); got != tc.want {
			t.Errorf("Diverging(%g) = %v, want %v", tc.t, got, tc.want)
		}
	}
}

// TestRender checks the layout and colours of the picture: panels of the
// expected size, a white difference panel where A equals B, red where A is
// brighter and blue where B is.
func TestRender(t *testing.T) {
	a := spots(40, 30, 0, [3]float64{10, 10, 100}, [3]float64{20, 30, 50})
	b := spots(40, 30, 0, [3]float64{10, 10, 100}, [3]float64{20, 25, 50})
	res, err := Run(a, b, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		roi         *raster.ROI
		w, h, up, k int
	}{
		{nil, 40, 30, panelTarget / 40, 1},
		{&raster.ROI{5, 14, 5, 9}, 10, 5, panelTarget / 10, 1},
	} {
		if tc.roi != nil {
			res, err = Run(a, b, Options{ROI: tc.roi})
			if err != nil {
				t.Fatal(err)
			}
		}
		pic, err := Render(res, RenderOptions{Stretch: imageio.Log})
		if err != nil {
			t.Fatal(err)
		}
		pw, ph := tc.w*tc.up, tc.h*tc.up
		if pic.Bounds().Dx() < 2*margin+3*pw+2*gap || pic.Bounds().Dy() < margin+titlesH+ph {
			t.Errorf("roi %v: picture %v too small for %dx%d panels", tc.roi, pic.Bounds(), pw, ph)
		}
		roi := res.Stats.ROI
		// at returns the colour of image pixel (slow, fast) in panel i.
		at := func(i, slow, fast int) color.RGBA {
			x := margin + i*(pw+gap) + (fast-roi.FastMin())*tc.up + tc.up/2
			y := margin + titlesH + (slow-roi.SlowMin())*tc.up + tc.up/2
			return pic.RGBAAt(x, y)
		}
		for s := roi.SlowMin(); s <= roi.SlowMax(); s++ {
			for f := roi.FastMin(); f <= roi.FastMax(); f++ {
				d := a.At(f, s) - b.At(f, s)
				got := at(2, s, f)
				switch {
				case d == 0 && !(got.R == got.G && got.G == got.B && got.R >= 130):
					// Equal pixels: white shaded grey by the underlay of B.
					t.Fatalf("roi %v: A-B panel at slow %d fast %d is %v for equal pixels, want a light neutral grey", tc.roi, s, f, got)
				case d > 1 && !(got.R > got.B):
					t.Fatalf("roi %v: A-B panel at slow %d fast %d is %v for A > B, want red", tc.roi, s, f, got)
				case d < -1 && !(got.B > got.R):
					t.Fatalf("roi %v: A-B panel at slow %d fast %d is %v for A < B, want blue", tc.roi, s, f, got)
				}
				if c := at(0, s, f); a.At(f, s) == b.At(f, s) && c != at(1, s, f) {
					t.Fatalf("roi %v: equal pixels at slow %d fast %d drawn %v in A and %v in B", tc.roi, s, f, c, at(1, s, f))
				}
			}
		}
	}
}

// TestRenderShrinks checks that a frame larger than panelMax is pooled so
// that a single bright pixel survives.
func TestRenderShrinks(t *testing.T) {
	const n = 1200
	a := &Image{Name: "big", Image: raster.Whole(make([]float64, n*n), n, n)}
	a.Pix[700*n+901] = 1000
	res, err := Run(a, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pic, err := Render(res, RenderOptions{Stretch: imageio.Asinh, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	k := (n + panelTarget - 1) / panelTarget
	pw := (n + k - 1) / k
	x, y := margin+901/k, margin+titlesH+700/k
	if got, want := pic.RGBAAt(x, y), imageio.Colormap(imageio.Viridis, 1); got != want {
		t.Errorf("bright pixel shrunk %dx to (%d,%d): colour %v, want %v", k, x, y, got, want)
	}
	if w := pic.Bounds().Dx(); w < 3*pw {
		t.Errorf("width %d for %d-px panels", w, pw)
	}
	if _, err := Render(res, RenderOptions{Limit: -1}); err == nil {
		t.Error("negative display limit accepted")
	}
}
