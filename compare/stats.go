package compare

import (
	"fmt"
	"math"

	"gobragg/raster"
)

// Stats are the figures of merit of A against B inside an ROI.
type Stats struct {
	ROI    raster.ROI
	Pixels int // pixels in the ROI

	Correlation float64 // Pearson correlation of A and B (see the package comment for constant images)
	RMSE        float64 // sqrt(mean((A-B)^2))

	MaxAbsDiff     float64 // max |A-B|
	MaxAbsDiffSlow int     // where it first occurs (row-major scan), full-image coordinates
	MaxAbsDiffFast int
	MaxAbsB        float64 // max |B|
	MaxRelDiff     float64 // MaxAbsDiff / MaxAbsB (0 when both are 0, +Inf when only MaxAbsB is)

	SumA, SumB float64
	SumRatio   float64 // SumA / SumB (see the package comment for SumB == 0)

	NonFiniteA, NonFiniteB int // NaN or Inf pixels in the ROI
}

// Compute returns the figures of a against b inside roi. The images must
// have the same dimensions and roi must lie inside them.
func Compute(a, b *Image, roi raster.ROI) (*Stats, error) {
	if a.Fast != b.Fast || a.Slow != b.Slow {
		return nil, fmt.Errorf("image dimensions differ: %s is %dx%d, %s is %dx%d (fast x slow)", a.Name, a.Fast, a.Slow, b.Name, b.Fast, b.Slow)
	}
	if err := roi.Check(a.Fast, a.Slow); err != nil {
		return nil, err
	}
	s := &Stats{ROI: roi, Pixels: roi.Pixels(), MaxAbsDiffSlow: -1, MaxAbsDiffFast: -1}
	n := float64(s.Pixels)

	// First pass: sums, extremes, differences.
	identical := true
	var sse float64
	for slow := roi.SlowMin(); slow <= roi.SlowMax(); slow++ {
		for fast := roi.FastMin(); fast <= roi.FastMax(); fast++ {
			i := slow*a.Fast + fast
			va, vb := a.Pix[i], b.Pix[i]
			if !isFinite(va) {
				s.NonFiniteA++
			}
			if !isFinite(vb) {
				s.NonFiniteB++
			}
			if va != vb {
				identical = false
			}
			s.SumA += va
			s.SumB += vb
			d := va - vb
			sse += d * d
			ad := math.Abs(d)
			if s.MaxAbsDiffSlow < 0 || ad > s.MaxAbsDiff || (math.IsNaN(ad) && !math.IsNaN(s.MaxAbsDiff)) {
				s.MaxAbsDiff, s.MaxAbsDiffSlow, s.MaxAbsDiffFast = ad, slow, fast
			}
			if ab := math.Abs(vb); ab > s.MaxAbsB || math.IsNaN(ab) {
				s.MaxAbsB = ab
			}
		}
	}
	s.RMSE = math.Sqrt(sse / n)
	s.MaxRelDiff = s.MaxAbsDiff / s.MaxAbsB
	if s.MaxAbsDiff == 0 {
		s.MaxRelDiff = 0
	}
	s.SumRatio = ratio(s.SumA, s.SumB)

	// Second pass: Pearson correlation about the means.
	ma, mb := s.SumA/n, s.SumB/n
	var sab, saa, sbb float64
	for slow := roi.SlowMin(); slow <= roi.SlowMax(); slow++ {
		for fast := roi.FastMin(); fast <= roi.FastMax(); fast++ {
			i := slow*a.Fast + fast
			da, db := a.Pix[i]-ma, b.Pix[i]-mb
			sab += da * db
			saa += da * da
			sbb += db * db
		}
	}
	switch {
	case math.IsNaN(saa) || math.IsNaN(sbb) || math.IsNaN(sab):
		s.Correlation = math.NaN()
	case identical:
		s.Correlation = 1 // exactly, whatever the rounding of the sums
	case saa == 0 || sbb == 0:
		s.Correlation = 0 // one image is constant, the other differs from it
	default:
		s.Correlation = sab / (math.Sqrt(saa) * math.Sqrt(sbb))
	}
	return s, nil
}

// ratio returns x/y, with 0/0 = 1 when both are zero.
func ratio(x, y float64) float64 {
	if x == 0 && y == 0 {
		return 1
	}
	return x / y
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
