package refine

import (
	"math"
	"testing"
)

// Pixels go to the box they lie in, to the nearer centre where two
// overlap, and to none (-1) outside every box of their frame.
func TestPixelBoxes(t *testing.T) {
	boxes := []Shoebox{
		{X0: 0, X1: 4, Y0: 0, Y1: 4, Frames: []int{0}},
		{X0: 2, X1: 6, Y0: 0, Y1: 4, Frames: []int{0, 1}},
		{X0: 0, X1: 2, Y0: 4, Y1: 6, Frames: []int{1}},
	}
	const fpixels = 10
	at := func(x, y int) int { return y*fpixels + x }
	for _, tc := range []struct {
		name  string
		frame int
		x, y  int
		want  int32
	}{
		{"inside the first only", 0, 1, 1, 0},
		{"overlap, nearer the first's centre", 0, 2, 2, 0},
		{"overlap, nearer the second's centre", 0, 3, 2, 1},
		{"second box on its second frame", 1, 3, 2, 1},
		{"box of another frame", 0, 1, 4, -1},
		{"third box on frame 1", 1, 1, 5, 2},
		{"outside every box", 1, 9, 9, -1},
	} {
		got := pixelBoxes(boxes, tc.frame, []int{at(tc.x, tc.y)}, fpixels)[0]
		if got != tc.want {
			t.Errorf("%s: pixel (%d, %d) of frame %d in box %d, want %d", tc.name, tc.x, tc.y, tc.frame, got, tc.want)
		}
	}
}

// The summary counts the boxes within the bound and their pixels, and
// names the worst first.
func TestBoxFitSummary(t *testing.T) {
	r := &Result{BoxFits: []BoxFit{
		{HKL: [3]int{1, 0, 0}, Fit: GoodnessOfFit{Value: 10, Expected: 9, Pixels: 10, Z: 0.5}},
		{HKL: [3]int{2, 0, 0}, Fit: GoodnessOfFit{Value: 90, Expected: 10, Pixels: 20, Z: 40}},
		{HKL: [3]int{3, 0, 0}, Fit: GoodnessOfFit{Value: 30, Expected: 29, Pixels: 30, Z: 4.9}},
	}}
	s := r.BoxFitSummary(5, 2)
	if s.Boxes != 3 || s.Fitting != 2 || s.Pixels != 60 || s.FittingPixels != 40 {
		t.Errorf("summary %+v: want 2 of 3 boxes, 40 of 60 pixels", s)
	}
	if math.Abs(s.PerPixel-1) > 1e-15 || math.Abs(s.ExpectedPerPx-38.0/40) > 1e-15 {
		t.Errorf("per pixel %g expected %g, want 1 and 0.95", s.PerPixel, s.ExpectedPerPx)
	}
	if len(s.Worst) != 2 || s.Worst[0].HKL != [3]int{2, 0, 0} || s.Worst[1].HKL != [3]int{3, 0, 0} {
		t.Errorf("worst %v, want 2 0 0 then 3 0 0", s.Worst)
	}
}
