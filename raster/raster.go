// Package raster holds a detector image as one value: its pixels in
// nanoBragg's order, its fast and slow sizes and its region of interest.
//
// Pixel order is nanoBragg's: index = slow*Fast + fast, fast varying
// fastest. Coordinates are whole pixels, 0-based, and are always given
// fast first, then slow.
package raster

import "fmt"

// ROI is a region of interest in nanoBragg's -roi order: fast min, fast
// max, slow min, slow max, in pixels, inclusive and 0-based. Bounds may
// reach past the image (nanoBragg's default -roi is 0..fpixels,
// 0..spixels); only pixels of the image are ever tested.
type ROI [4]int

// Full is the ROI of the whole fast x slow image.
func Full(fast, slow int) ROI { return ROI{0, fast - 1, 0, slow - 1} }

// FastMin is the first fast pixel of r.
func (r ROI) FastMin() int { return r[0] }

// FastMax is the last fast pixel of r.
func (r ROI) FastMax() int { return r[1] }

// SlowMin is the first slow pixel of r.
func (r ROI) SlowMin() int { return r[2] }

// SlowMax is the last slow pixel of r.
func (r ROI) SlowMax() int { return r[3] }

// Contains reports whether pixel (fast, slow) lies in r: nanoBragg's
// -roi test.
func (r ROI) Contains(fast, slow int) bool {
	return fast >= r[0] && fast <= r[1] && slow >= r[2] && slow <= r[3]
}

// Width is the number of fast pixels in r.
func (r ROI) Width() int { return r[1] - r[0] + 1 }

// Height is the number of slow pixels in r.
func (r ROI) Height() int { return r[3] - r[2] + 1 }

// Pixels is the number of pixels in r.
func (r ROI) Pixels() int { return r.Width() * r.Height() }

// Check returns an error unless r is non-empty and inside a fast x slow
// image.
func (r ROI) Check(fast, slow int) error {
	if r[0] < 0 || r[2] < 0 || r[0] > r[1] || r[2] > r[3] || r[1] >= fast || r[3] >= slow {
		return fmt.Errorf("roi %d %d %d %d (fast min/max, slow min/max, inclusive) is empty or outside the %dx%d image", r[0], r[1], r[2], r[3], fast, slow)
	}
	return nil
}

func (r ROI) String() string {
	return fmt.Sprintf("fast %d..%d, slow %d..%d", r[0], r[1], r[2], r[3])
}

// Image is a detector image of Fast x Slow pixels of type T (photons as
// float32 for nanoBragg's float image, counts as int32, bytes for PGM)
// and the ROI its pixels are rendered in. Pixels outside ROI are present
// in Pix; what they mean is up to the producer (nanoBragg leaves them 0).
type Image[T any] struct {
	Pix  []T // Fast*Slow values, index = slow*Fast + fast
	Fast int // pixels along the fast axis (row length)
	Slow int // pixels along the slow axis (number of rows)
	ROI  ROI
}

// Whole is pix as a fast x slow image whose ROI is the whole image.
func Whole[T any](pix []T, fast, slow int) Image[T] {
	return Image[T]{Pix: pix, Fast: fast, Slow: slow, ROI: Full(fast, slow)}
}

// Valid reports whether the sizes are not negative and Pix holds
// Fast*Slow values.
func (im Image[T]) Valid() bool {
	return im.Fast >= 0 && im.Slow >= 0 && len(im.Pix) == im.Fast*im.Slow
}

// At is the pixel at (fast, slow).
func (im Image[T]) At(fast, slow int) T { return im.Pix[slow*im.Fast+fast] }
