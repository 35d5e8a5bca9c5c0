package sim

import (
	"slices"
	"strings"
	"testing"

	"gobragg/config"
)

// -gauss_hkl is a Gaussian spot of widths 1/Na, 1/Nb, 1/Nc of an index:
// swapping the crystal's extents along its axes changes the image, where
// -gauss_xtal's one radius (set by Na·Nb·Nc) does not. It is refused in
// c-parity mode.
func TestGaussHKL(t *testing.T) {
	const args = "-mode spec -cell 50 60 70 90 90 90 -default_F 100 -pixel 0.1 -distance 60 -detpixels 64 -oversample 1 -nonoise -nopgm -noprogress"
	image := func(shape, cells string) []float64 {
		img, err := prepareArgs(t, args+" "+shape+" "+cells).Image()
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	for _, tc := range []struct {
		shape string
		same  bool // the images of the two crystals are equal
	}{
		{"-gauss_xtal", true},
		{"-gauss_hkl", false},
	} {
		a, b := image(tc.shape, "-Na 4 -Nb 5 -Nc 10"), image(tc.shape, "-Na 10 -Nb 4 -Nc 5")
		if slices.Max(a) <= 0 {
			t.Fatalf("%s: no spot on the image", tc.shape)
		}
		if got := slices.Equal(a, b); got != tc.same {
			t.Errorf("%s: images of 4x5x10 and 10x4x5 cells equal %v, want %v", tc.shape, got, tc.same)
		}
	}
	s, err := config.Parse(strings.Fields("-mode c-parity -gauss_hkl -cell 50 60 70 90 90 90 -default_F 100 -detpixels 8"))
	if err == nil {
		_, err = Prepare(s, Dirs{NoDump: true})
	}
	if err == nil || !strings.Contains(err.Error(), "-gauss_hkl") {
		t.Errorf("c-parity: %v, want a refusal naming -gauss_hkl", err)
	}
}
