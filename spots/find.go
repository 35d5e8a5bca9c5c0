package spots

import (
	"math"
	"sort"
)

// Spot is one spot found on an image.
type Spot struct {
	// Fast and Slow are the centroid in pixels of the counts above the
	// local background.
	Fast, Slow float64
	// SigmaFast and SigmaSlow are the centroid's standard errors in pixels
	// under Poisson noise.
	SigmaFast, SigmaSlow float64
	// Signal is the summed counts above background; Background the summed
	// local background under the spot's pixels.
	Signal, Background float64
	// Pixels is the number of strong pixels; Peak the index of the
	// brightest (slow*fast pixels + fast).
	Pixels, Peak int
	// Box bounds the strong pixels.
	Box Box
}

// Box is a rectangle of pixels, [Fast0, Fast1) x [Slow0, Slow1) (half-open,
// as DIALS's bbox).
type Box struct {
	Fast0, Fast1, Slow0, Slow1 int
}

// SNR is the spot's signal over the Poisson noise of its counts.
func (s Spot) SNR() float64 { return s.Signal / math.Sqrt(s.Signal+s.Background) }

// Finder says what counts as a spot, in the manner of DIALS's dispersion
// threshold for photon-counting detectors: a pixel is strong when its counts
// exceed the local background mean by Sigmas Poisson standard deviations,
// and a connected group of strong pixels (touching at edges or corners) is
// a spot when its signal over noise reaches MinSNR.
type Finder struct {
	Sigmas float64 // 0: 3
	MinSNR float64 // 0: 5
	// BoxHalfWidth is the half-width in pixels of the square over which the
	// local background is averaged, strong pixels left out (0: 5).
	BoxHalfWidth int
	// MinPixels is the fewest strong pixels a spot has (0: 1). DIALS takes
	// 3 for pixel-array detectors, whose spots cover several pixels while
	// a hot pixel covers one.
	MinPixels int
}

func (f Finder) withDefaults() Finder {
	if f.Sigmas <= 0 {
		f.Sigmas = 3
	}
	if f.MinSNR <= 0 {
		f.MinSNR = 5
	}
	if f.BoxHalfWidth <= 0 {
		f.BoxHalfWidth = 5
	}
	if f.MinPixels <= 0 {
		f.MinPixels = 1
	}
	return f
}

// Find returns the spots on an image of counts (photons, fast index
// fastest), brightest first. NaN pixels are masked: they are neither
// spots nor background.
func Find(counts []float64, fast, slow int, f Finder) []Spot {
	f = f.withDefaults()
	if fast <= 0 || slow <= 0 || len(counts) != fast*slow {
		return nil
	}
	strong := make([]bool, len(counts))
	exclude := make([]bool, len(counts))
	bkg := make([]float64, len(counts))
	tables := newSummedArea(fast, slow)
	// Twice: the second background leaves out the first pass's strong
	// pixels and their neighbours, so a spot does not raise its own floor.
	for pass := 0; pass < 2; pass++ {
		if pass > 0 {
			dilate(strong, exclude, fast, slow, 2)
		}
		tables.localMean(counts, exclude, f.BoxHalfWidth, bkg)
		for i, y := range counts {
			b := bkg[i]
			strong[i] = !math.IsNaN(y) && !math.IsNaN(b) && y-b > f.Sigmas*math.Sqrt(math.Max(b, 1))
		}
	}
	var out []Spot
	seen := make([]bool, len(counts))
	var stack, members []int
	for i := range counts {
		if !strong[i] || seen[i] {
			continue
		}
		members = members[:0]
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			members = append(members, p)
			pf, ps := p%fast, p/fast
			for ds := -1; ds <= 1; ds++ {
				for df := -1; df <= 1; df++ {
					nf, ns := pf+df, ps+ds
					if nf < 0 || nf >= fast || ns < 0 || ns >= slow {
						continue
					}
					if q := ns*fast + nf; strong[q] && !seen[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		if len(members) < f.MinPixels {
			continue
		}
		if s, ok := measure(members, counts, bkg, fast); ok && s.SNR() >= f.MinSNR {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Signal > out[b].Signal })
	return out
}

// measure returns the centroid and signal of one group of strong pixels.
func measure(members []int, counts, bkg []float64, fast int) (Spot, bool) {
	var s Spot
	var w, wf, ws, peak float64
	s.Box = Box{fast, 0, math.MaxInt, 0}
	for _, p := range members {
		pf, ps := p%fast, p/fast
		s.Box = Box{min(s.Box.Fast0, pf), max(s.Box.Fast1, pf+1), min(s.Box.Slow0, ps), max(s.Box.Slow1, ps+1)}
		sig := counts[p] - bkg[p]
		s.Signal += sig
		s.Background += bkg[p]
		if sig > peak || s.Pixels == 0 {
			peak, s.Peak = sig, p
		}
		s.Pixels++
		if sig <= 0 {
			continue
		}
		w += sig
		wf += sig * (float64(p%fast) + 0.5)
		ws += sig * (float64(p/fast) + 0.5)
	}
	if !(w > 0) {
		return s, false
	}
	s.Fast, s.Slow = wf/w, ws/w
	var vf, vs float64
	for _, p := range members {
		if sig := counts[p] - bkg[p]; sig > 0 {
			df, ds := float64(p%fast)+0.5-s.Fast, float64(p/fast)+0.5-s.Slow
			vf += sig * df * df
			vs += sig * ds * ds
		}
	}
	// The centroid of n photons spread with variance v (plus a pixel's own
	// 1/12) has variance v/n.
	s.SigmaFast = math.Sqrt((vf/w + 1.0/12) / w)
	s.SigmaSlow = math.Sqrt((vs/w + 1.0/12) / w)
	return s, true
}

// summedArea holds the summed-area tables of an image's valid pixels,
// kept between the two passes of Find (each is as big as the image).
type summedArea struct {
	fast, slow int
	sum        []float64
	num        []int32
}

func newSummedArea(fast, slow int) *summedArea {
	n := (fast + 1) * (slow + 1)
	return &summedArea{fast: fast, slow: slow, sum: make([]float64, n), num: make([]int32, n)}
}

// localMean sets out to the mean of the valid, not excluded pixels in the
// square of half-width h around each pixel (NaN where there is none).
func (t *summedArea) localMean(counts []float64, exclude []bool, h int, out []float64) {
	fast, slow, sum, num := t.fast, t.slow, t.sum, t.num
	w := fast + 1
	for s := 0; s < slow; s++ {
		var rowSum float64
		var rowNum int32
		for f := 0; f < fast; f++ {
			i := s*fast + f
			if y := counts[i]; !math.IsNaN(y) && !exclude[i] {
				rowSum += y
				rowNum++
			}
			sum[(s+1)*w+f+1] = sum[s*w+f+1] + rowSum
			num[(s+1)*w+f+1] = num[s*w+f+1] + rowNum
		}
	}
	for s := 0; s < slow; s++ {
		s0, s1 := max(s-h, 0), min(s+h+1, slow)
		for f := 0; f < fast; f++ {
			f0, f1 := max(f-h, 0), min(f+h+1, fast)
			n := num[s1*w+f1] - num[s0*w+f1] - num[s1*w+f0] + num[s0*w+f0]
			if n == 0 {
				out[s*fast+f] = math.NaN()
				continue
			}
			out[s*fast+f] = (sum[s1*w+f1] - sum[s0*w+f1] - sum[s1*w+f0] + sum[s0*w+f0]) / float64(n)
		}
	}
}

// dilate sets out for every pixel within h (a square) of a set pixel of in.
func dilate(in, out []bool, fast, slow, h int) {
	for i, on := range in {
		if !on {
			continue
		}
		f, s := i%fast, i/fast
		for ss := max(s-h, 0); ss < min(s+h+1, slow); ss++ {
			for ff := max(f-h, 0); ff < min(f+h+1, fast); ff++ {
				out[ss*fast+ff] = true
			}
		}
	}
}
