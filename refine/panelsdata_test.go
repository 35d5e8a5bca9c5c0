package refine_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/imageio"
	"gobragg/refine"
)

// TestReadPanels: a two-panel CBF reads as the panels' counts one after
// another, each panel with its own gain, pedestal and trusted range;
// negative values are gaps; calibrations that do not fit are refused.
func TestReadPanels(t *testing.T) {
	panels := []imageio.CBFPanel{
		{SizeFast: 2, SizeSlow: 2, PixelSizeMM: 0.1, Counts: []int32{10, -1, 30, 500}},
		{SizeFast: 3, SizeSlow: 1, PixelSizeMM: 0.1, Counts: []int32{14, -2, 8}},
	}
	leaf := func(i int) *imageio.CBFNode {
		return &imageio.CBFNode{Panel: i, Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}}
	}
	root := &imageio.CBFNode{Panel: -1, Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}, Children: []*imageio.CBFNode{leaf(0), leaf(1)}}
	var buf bytes.Buffer
	if err := imageio.WriteMultiCBF(&buf, imageio.MultiCBF{Root: root, Panels: panels, WavelengthA: 1}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "two.cbf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sizes := [][2]int{{2, 2}, {3, 1}}
	trusted := [2]float64{0, 100}
	cals := []refine.Calibration{{GainADU: 2, Trusted: &trusted}, {GainADU: 1, PedestalADU: 4}}
	im, err := refine.ReadPanels(path, sizes, cals)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := []float64{5, nan, 15, nan, 10, nan, 4}
	for i, w := range want {
		if got := im.Counts[i]; !(got == w || math.IsNaN(got) && math.IsNaN(w)) {
			t.Errorf("count %d: %g, want %g", i, got, w)
		}
	}
	if im.Gaps != 2 || im.Overloads != 1 || len(im.Panels) != 2 || im.Fast != 7 || im.Slow != 1 {
		t.Errorf("%d gaps, %d overloads, %d panels, %dx%d; want 2, 1, 2, 7x1", im.Gaps, im.Overloads, len(im.Panels), im.Fast, im.Slow)
	}
	for _, c := range []struct {
		name  string
		sizes [][2]int
		cals  []refine.Calibration
		msg   string
	}{
		{"one calibration", sizes, cals[:1], "1 calibrations for 2 panels"},
		{"zero gain", sizes, []refine.Calibration{{GainADU: 1}, {}}, "panel 1: "},
		{"mask outside", sizes, []refine.Calibration{{GainADU: 1, Rects: [][4]int{{0, 0, 3, 1}}}, {GainADU: 1}}, "panel 0: "},
		{"panel size", [][2]int{{2, 2}, {1, 3}}, cals, "array 1 is 3x1 pixels"},
	} {
		if _, err := refine.ReadPanels(path, c.sizes, c.cals); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.msg)
		}
	}
}
