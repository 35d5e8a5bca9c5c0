package raster

import (
	"strings"
	"testing"
)

func TestROIContains(t *testing.T) {
	r := ROI{1, 3, 2, 2} // fast 1..3, slow 2
	tests := []struct {
		fast, slow int
		want       bool
	}{
		{1, 2, true},
		{3, 2, true},
		{0, 2, false},
		{4, 2, false},
		{2, 1, false},
		{2, 3, false},
		{2, 2, true},
	}
	for _, tc := range tests {
		if got := r.Contains(tc.fast, tc.slow); got != tc.want {
			t.Errorf("%v.Contains(fast %d, slow %d) = %v, want %v", r, tc.fast, tc.slow, got, tc.want)
		}
	}
}

func TestROISizes(t *testing.T) {
	tests := []struct {
		name                  string
		r                     ROI
		width, height, pixels int
	}{
		{"full", Full(5, 4), 5, 4, 20},
		{"one pixel", ROI{2, 2, 3, 3}, 1, 1, 1},
		{"window", ROI{1, 3, 0, 1}, 3, 2, 6},
	}
	for _, tc := range tests {
		if tc.r.Width() != tc.width || tc.r.Height() != tc.height || tc.r.Pixels() != tc.pixels {
			t.Errorf("%s: %v is %dx%d = %d pixels, want %dx%d = %d", tc.name, tc.r,
				tc.r.Width(), tc.r.Height(), tc.r.Pixels(), tc.width, tc.height, tc.pixels)
		}
	}
	if r := (ROI{1, 2, 3, 4}); r.FastMin() != 1 || r.FastMax() != 2 || r.SlowMin() != 3 || r.SlowMax() != 4 {
		t.Errorf("accessors of %v give %d %d %d %d", r, r.FastMin(), r.FastMax(), r.SlowMin(), r.SlowMax())
	}
}

func TestROICheck(t *testing.T) {
	tests := []struct {
		name string
		r    ROI
		want string // "" = no error
	}{
		{"whole", Full(2, 2), ""},
		{"outside", ROI{0, 2, 0, 1}, "outside the 2x2 image"},
		{"negative", ROI{-1, 1, 0, 1}, "outside"},
		{"empty", ROI{1, 0, 0, 1}, "empty"},
	}
	for _, tc := range tests {
		err := tc.r.Check(2, 2)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestImage(t *testing.T) {
	im := Whole([]int32{0, 1, 2, 3, 4, 5}, 3, 2)
	if im.ROI != (ROI{0, 2, 0, 1}) {
		t.Errorf("Whole's ROI is %v", im.ROI)
	}
	if got := im.At(2, 1); got != 5 {
		t.Errorf("At(fast 2, slow 1) = %d, want 5", got)
	}
	tests := []struct {
		name string
		im   Image[int32]
		want bool
	}{
		{"whole", im, true},
		{"empty", Image[int32]{}, true},
		{"short", Image[int32]{Pix: make([]int32, 5), Fast: 3, Slow: 2}, false},
		{"negative", Image[int32]{Fast: -1, Slow: 0}, false},
	}
	for _, tc := range tests {
		if got := tc.im.Valid(); got != tc.want {
			t.Errorf("%s: Valid() = %v, want %v", tc.name, got, tc.want)
		}
	}
}
