package compare

import (
	"fmt"
	"math"
	"testing"

	"gobragg/raster"
)

// spots returns a fast x slow image with a Gaussian spot (sigma 1 px) of
// the given height at each (slow, fast, height) triple, on a background.
func spots(fast, slow int, background float64, s ...[3]float64) *Image {
	im := &Image{Name: "spots", Image: raster.Whole(make([]float64, fast*slow), fast, slow)}
	for y := 0; y < slow; y++ {
		for x := 0; x < fast; x++ {
			v := background
			for _, p := range s {
				dy, dx := float64(y)-p[0], float64(x)-p[1]
				v += p[2] * math.Exp(-(dx*dx+dy*dy)/2)
			}
			im.Pix[y*fast+x] = v
		}
	}
	return im
}

func peakList(ps []Peak) string {
	s := ""
	for _, p := range ps {
		s += fmt.Sprintf("(%d,%d) ", p.Slow, p.Fast)
	}
	return s
}

func TestFindPeaks(t *testing.T) {
	field := spots(40, 30, 1,
		[3]float64{5, 5, 100}, [3]float64{20, 30, 300}, [3]float64{25, 8, 50}, [3]float64{10, 20, 200},
		[3]float64{10, 22, 20}) // a faint shoulder 2 px from the 200 spot: suppressed
	plateau := img(7, 3,
		0, 0, 0, 0, 0, 0, 0,
		0, 7, 7, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 3)
	tests := []struct {
		name string
		im   *Image
		roi  raster.ROI
		n    int
		want string
	}{
		{"brightest first", field, raster.Full(40, 30), 10, "(20,30) (10,20) (5,5) (25,8) "},
		{"n limits", field, raster.Full(40, 30), 2, "(20,30) (10,20) "},
		{"n zero", field, raster.Full(40, 30), 0, ""},
		// An ROI that cuts a spot makes the spot's brightest pixel inside
		// the ROI, on its edge, a peak: here the 300 spot's tail at fast 25.
		{"roi excludes the brightest", field, raster.ROI{0, 25, 0, 29}, 10, "(10,20) (5,5) (25,8) (20,25) "},
		{"roi cuts a spot", field, raster.ROI{0, 27, 15, 29}, 2, "(25,8) (20,27) "},
		{"flat top gives one peak", plateau, raster.Full(7, 3), 10, "(1,1) (2,6) "},
		{"constant image has none", img(3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4), raster.Full(3, 3), 10, ""},
		{"NaN is skipped", img(3, 1, math.NaN(), 0, 2), raster.Full(3, 1), 10, "(0,2) "},
	}
	for _, tc := range tests {
		got := peakList(FindPeaks(tc.im, tc.roi, tc.n))
		if got != tc.want {
			t.Errorf("%s: peaks %s, want %s", tc.name, got, tc.want)
		}
	}
	if p := FindPeaks(field, raster.Full(40, 30), 1)[0]; p.Value != field.At(30, 20) {
		t.Errorf("peak value %g, want the pixel value %g", p.Value, field.At(30, 20))
	}
}

// TestMatchPeaksShifted finds the peaks of an image and of a copy shifted
// by (2, 1) pixels and checks that every pair is sqrt(5) apart.
func TestMatchPeaksShifted(t *testing.T) {
	list := [][3]float64{{5, 5, 100}, {20, 30, 300}, {25, 8, 50}, {10, 20, 200}}
	a := spots(40, 30, 0, list...)
	var moved [][3]float64
	for _, p := range list {
		moved = append(moved, [3]float64{p[0] + 2, p[1] + 1, p[2]})
	}
	b := spots(40, 30, 0, moved...)
	pa, pb := FindPeaks(a, raster.Full(40, 30), 4), FindPeaks(b, raster.Full(40, 30), 4)
	ms := MatchPeaks(pa, pb)
	for i, m := range ms {
		if m.B != i || math.Abs(m.Distance-math.Sqrt(5)) > 1e-12 {
			t.Errorf("peak %d at %v: matched %d at %g px, want %d at sqrt(5)", i, pa[i], m.B, m.Distance, i)
		}
	}
	// Too far apart: no match.
	far := MatchPeaks([]Peak{{0, 0, 1}}, []Peak{{0, 11, 1}})
	if far[0].B != -1 || !math.IsNaN(far[0].Distance) {
		t.Errorf("peaks 11 px apart matched: %+v", far[0])
	}
	// Each B peak is used once; the brighter A peak chooses first.
	two := MatchPeaks([]Peak{{0, 0, 9}, {0, 2, 8}}, []Peak{{0, 1, 9}})
	if two[0].B != 0 || two[1].B != -1 {
		t.Errorf("one B peak for two A peaks: %+v", two)
	}
}
