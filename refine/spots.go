package refine

import (
	"math"
	"sort"

	"gobragg/spots"
)

// SpotThreshold says which pixels a starting model predicts as spots: its
// expected counts exceed the frame's median expected counts by Sigmas
// standard deviations of Poisson noise at the median (at least
// MinPhotons).
type SpotThreshold struct {
	Sigmas     float64 // 0: 3
	MinPhotons float64 // 0: 1
}

// SelectSpots returns the detector pixels (increasing indices) inside the
// shoeboxes of the predicted spots: every pixel within halfWidth pixels
// (a square box) of a pixel whose expected counts mu pass the threshold.
// The outer pixels of each box carry the background next to the spot.
// Pixels where mu is NaN (not rendered) are never spots.
func SelectSpots(mu []float64, fast, slow, halfWidth int, th SpotThreshold) []int {
	if th.Sigmas <= 0 {
		th.Sigmas = 3
	}
	if th.MinPhotons <= 0 {
		th.MinPhotons = 1
	}
	var finite []float64
	for _, v := range mu {
		if !math.IsNaN(v) {
			finite = append(finite, v)
		}
	}
	if len(finite) == 0 {
		return nil
	}
	sort.Float64s(finite)
	median := finite[len(finite)/2]
	cut := median + math.Max(th.MinPhotons, th.Sigmas*math.Sqrt(math.Max(median, 0)))
	// Dilate the spot mask by halfWidth: rows first, then columns, each
	// with a running count of spot pixels in the window.
	spot := make([]int32, len(mu))
	for i, v := range mu {
		if v > cut {
			spot[i] = 1
		}
	}
	rows := dilate(spot, fast, slow, halfWidth, 1, fast)
	box := dilate(rows, slow, fast, halfWidth, fast, 1)
	var out []int
	for i, b := range box {
		if b > 0 && !math.IsNaN(mu[i]) {
			out = append(out, i)
		}
	}
	return out
}

// dilate returns, for lines of length n (stride step between elements,
// lines lineStride apart), how many set elements lie within h of each.
func dilate(in []int32, n, lines, h, step, lineStride int) []int32 {
	out := make([]int32, len(in))
	for l := 0; l < lines; l++ {
		base := l * lineStride
		var count int32
		for i := 0; i < min(h, n); i++ {
			count += in[base+i*step]
		}
		for i := 0; i < n; i++ {
			if j := i + h; j < n {
				count += in[base+j*step]
			}
			if j := i - h - 1; j >= 0 {
				count -= in[base+j*step]
			}
			out[base+i*step] = count
		}
	}
	return out
}

// FoundSpotFinder is how -select found finds spots on measured data:
// spots.Finder's thresholds, and at least 3 strong pixels, as DIALS asks
// of pixel-array detectors, so a lone hot pixel is not a spot.
var FoundSpotFinder = spots.Finder{MinPixels: 3}

// SelectFound returns the frame's pixels with data (increasing indices)
// inside the shoeboxes of the spots found on it: every pixel within
// halfWidth pixels of a spot's box. It needs no model: it is the
// selection for a still whose orientation is not known yet.
func SelectFound(fr Frame, found []spots.Spot, halfWidth int) []int {
	s := fr.Exp.Setup
	box := spots.Shoeboxes(found, s.FPixels, s.SPixels, halfWidth)
	out := box[:0]
	for _, d := range box {
		if hasData(fr, d) {
			out = append(out, d)
		}
	}
	return out
}
