package compare

import "fmt"

// ROI is a region of interest in nanoBragg's -roi order: fast min, fast
// max, slow min, slow max, inclusive and 0-based.
type ROI struct {
	FastMin, FastMax, SlowMin, SlowMax int
}

// FullROI is the whole fast x slow image.
func FullROI(fast, slow int) ROI { return ROI{0, fast - 1, 0, slow - 1} }

// Width is the number of fast pixels in r.
func (r ROI) Width() int { return r.FastMax - r.FastMin + 1 }

// Height is the number of slow pixels in r.
func (r ROI) Height() int { return r.SlowMax - r.SlowMin + 1 }

// Pixels is the number of pixels in r.
func (r ROI) Pixels() int { return r.Width() * r.Height() }

// Contains reports whether (slow, fast) lies in r.
func (r ROI) Contains(slow, fast int) bool {
	return fast >= r.FastMin && fast <= r.FastMax && slow >= r.SlowMin && slow <= r.SlowMax
}

// Check returns an error unless r is non-empty and inside a fast x slow
// image.
func (r ROI) Check(fast, slow int) error {
	if r.FastMin < 0 || r.SlowMin < 0 || r.FastMin > r.FastMax || r.SlowMin > r.SlowMax || r.FastMax >= fast || r.SlowMax >= slow {
		return fmt.Errorf("roi %d %d %d %d (fast min/max, slow min/max, inclusive) is empty or outside the %dx%d image", r.FastMin, r.FastMax, r.SlowMin, r.SlowMax, fast, slow)
	}
	return nil
}

func (r ROI) String() string {
	return fmt.Sprintf("fast %d..%d, slow %d..%d", r.FastMin, r.FastMax, r.SlowMin, r.SlowMax)
}
