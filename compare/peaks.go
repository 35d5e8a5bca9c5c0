package compare

import (
	"math"
	"sort"

	"gobragg/raster"
)

// PeakRadius is the non-maximum suppression radius of FindPeaks in pixels:
// a peak suppresses fainter peaks whose slow and fast offsets are both
// within PeakRadius.
const PeakRadius = 3

// MatchRadius is the largest distance in pixels at which MatchPeaks pairs a
// peak of A with a peak of B.
const MatchRadius = 10.0

// Peak is a local maximum of an image, in full-image pixel coordinates.
type Peak struct {
	Slow, Fast int
	Value      float64
}

// FindPeaks returns up to n of the brightest peaks of im inside roi,
// brightest first (ties in pixel order). A peak is a finite pixel greater
// than the smallest finite value in the ROI and not less than any of its
// eight neighbours inside the ROI; candidates are taken in order of value
// and kept unless a kept peak lies within PeakRadius (Chebyshev distance),
// so one spot, or a flat-topped one, gives one peak.
func FindPeaks(im *Image, roi raster.ROI, n int) []Peak {
	if n <= 0 {
		return nil
	}
	floor := math.Inf(1)
	for slow := roi.SlowMin(); slow <= roi.SlowMax(); slow++ {
		for fast := roi.FastMin(); fast <= roi.FastMax(); fast++ {
			if v := im.At(fast, slow); isFinite(v) && v < floor {
				floor = v
			}
		}
	}
	var cand []Peak
	for slow := roi.SlowMin(); slow <= roi.SlowMax(); slow++ {
		for fast := roi.FastMin(); fast <= roi.FastMax(); fast++ {
			v := im.At(fast, slow)
			if !isFinite(v) || !(v > floor) || !localMax(im, roi, fast, slow, v) {
				continue
			}
			cand = append(cand, Peak{slow, fast, v})
		}
	}
	sort.SliceStable(cand, func(i, j int) bool { return cand[i].Value > cand[j].Value })
	var kept []Peak
	for _, c := range cand {
		if len(kept) == n {
			break
		}
		near := false
		for _, k := range kept {
			if abs(k.Slow-c.Slow) <= PeakRadius && abs(k.Fast-c.Fast) <= PeakRadius {
				near = true
				break
			}
		}
		if !near {
			kept = append(kept, c)
		}
	}
	return kept
}

// localMax reports whether v at (fast, slow) is not less than any of its
// eight neighbours inside roi. NaN neighbours are ignored.
func localMax(im *Image, roi raster.ROI, fast, slow int, v float64) bool {
	for ds := -1; ds <= 1; ds++ {
		for df := -1; df <= 1; df++ {
			s, f := slow+ds, fast+df
			if (ds == 0 && df == 0) || !roi.Contains(f, s) {
				continue
			}
			if im.At(f, s) > v {
				return false
			}
		}
	}
	return true
}

// Match pairs peak A[A] with peak B[B] at Distance pixels; B is -1 (and
// Distance NaN) when no peak of B is within MatchRadius.
type Match struct {
	A, B     int
	Distance float64
}

// MatchPeaks pairs every peak of a, brightest first, with the nearest
// not-yet-paired peak of b within MatchRadius (Euclidean distance in
// pixels; ties go to the brighter b peak). It returns one Match per peak of
// a, in order.
func MatchPeaks(a, b []Peak) []Match {
	used := make([]bool, len(b))
	out := make([]Match, len(a))
	for i, pa := range a {
		out[i] = Match{A: i, B: -1, Distance: math.NaN()}
		best := math.Inf(1)
		for j, pb := range b {
			if used[j] {
				continue
			}
			d := math.Hypot(float64(pa.Slow-pb.Slow), float64(pa.Fast-pb.Fast))
			if d <= MatchRadius && d < best {
				best, out[i].B, out[i].Distance = d, j, d
			}
		}
		if out[i].B >= 0 {
			used[out[i].B] = true
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
