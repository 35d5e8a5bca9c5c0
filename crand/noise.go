package crand

import (
	"math"

	"gobragg/raster"
)

// PoissonImage renders nanoBragg's Poisson noise image from the float image
// im (photons per pixel).
//
// Pixels outside im.ROI are 0 and draw no random numbers. Every other pixel, masked ones included,
// draws poidev(value) from *seed; the deviate is added to photons, the ADC
// offset is added, values above 65535 are clipped to 65535 and counted as
// overloads, and the result is truncated to uint16 as C's (unsigned short)
// cast does on x86-64. An image that is not im.Valid gives nil, 0, 0.
func (g *Generator) PoissonImage(im raster.Image[float32], seed *int64, adcOffset float64) (pixels []uint16, photons float64, overloads int) {
	if !im.Valid() {
		return nil, 0, 0
	}
	pixels = make([]uint16, len(im.Pix))
	photons = g.poissonDraws(im, seed, func(idx int, test float64) {
		var over bool
		pixels[idx], over = smvPixel(test, adcOffset)
		if over {
			overloads++
		}
	})
	return pixels, photons, overloads
}

// PoissonCounts draws the same deviates as PoissonImage from the same seed
// and returns them as photon counts: no ADC offset and no 65535 ceiling,
// as a photon-counting detector records them (for miniCBF). counts has
// im's size and ROI; its pixels outside the ROI are 0. An image that is
// not im.Valid gives a zero Image and 0.
func (g *Generator) PoissonCounts(im raster.Image[float32], seed *int64) (counts raster.Image[int32], photons float64) {
	if !im.Valid() {
		return raster.Image[int32]{}, 0
	}
	counts = raster.Image[int32]{Pix: make([]int32, len(im.Pix)), Fast: im.Fast, Slow: im.Slow, ROI: im.ROI}
	photons = g.poissonDraws(im, seed, func(idx int, test float64) {
		// Deviates are whole numbers; beyond int32 (an absurd fluence) they saturate.
		counts.Pix[idx] = int32(max(math.MinInt32, min(math.MaxInt32, test)))
	})
	return counts, photons
}

// poissonDraws draws poidev(value) for every pixel of im inside its ROI in
// C's order and hands each deviate to put; it returns their sum.
func (g *Generator) poissonDraws(im raster.Image[float32], seed *int64, put func(idx int, deviate float64)) (photons float64) {
	idx := 0
	for s := 0; s < im.Slow; s++ {
		for f := 0; f < im.Fast; f++ {
			if !im.ROI.Contains(f, s) {
				idx++
				continue
			}
			test := float64(g.Poidev(im.Pix[idx], seed))
			photons += test
			put(idx, test)
			idx++
		}
	}
	return photons
}

// smvPixel is an SMV pixel of a deviate: the ADC offset added, clipped to
// 65535 (over reports the clip) and truncated as C's cast does.
func smvPixel(deviate, adcOffset float64) (pixel uint16, over bool) {
	test := deviate + adcOffset
	if test > 65535.0 {
		return toUshort(65535.0), true
	}
	return toUshort(test), false
}

// toUshort converts as gcc does on x86-64 for (unsigned short)double:
// truncate toward zero to a 32-bit integer, keep the low 16 bits.
func toUshort(x float64) uint16 {
	return uint16(int32(x))
}

// CountsToSMV turns PoissonCounts' counts into PoissonImage's pixels: the
// ADC offset added, values above 65535 clipped (and counted as overloads),
// pixels outside counts.ROI left 0. For the same seed it gives exactly
// what PoissonImage gives, so one set of draws can feed both an SMV and a
// miniCBF frame. Counts that are not counts.Valid give nil, 0.
func CountsToSMV(counts raster.Image[int32], adcOffset float64) (pixels []uint16, overloads int) {
	if !counts.Valid() {
		return nil, 0
	}
	pixels = make([]uint16, len(counts.Pix))
	for s := 0; s < counts.Slow; s++ {
		for f := 0; f < counts.Fast; f++ {
			if !counts.ROI.Contains(f, s) {
				continue
			}
			idx := s*counts.Fast + f
			var over bool
			pixels[idx], over = smvPixel(float64(counts.Pix[idx]), adcOffset)
			if over {
				overloads++
			}
		}
	}
	return pixels, overloads
}
