package crand

import "math"

// PoissonImage renders nanoBragg's Poisson noise image from the float image
// (photons per pixel, fast index inner) of fpixels x spixels pixels.
//
// Pixels outside roi = [xmin, xmax, ymin, ymax] (fast then slow, inclusive)
// are 0 and draw no random numbers. Every other pixel, masked ones included,
// draws poidev(value) from *seed; the deviate is added to photons, the ADC
// offset is added, values above 65535 are clipped to 65535 and counted as
// overloads, and the result is truncated to uint16 as C's (unsigned short)
// cast does on x86-64. An image whose length is not fpixels*spixels, or a
// negative size, gives nil, 0, 0.
func (g *Generator) PoissonImage(float32Image []float32, fpixels, spixels int, roi [4]int, seed *int64, adcOffset float64) (pixels []uint16, photons float64, overloads int) {
	if fpixels < 0 || spixels < 0 || len(float32Image) != fpixels*spixels {
		return nil, 0, 0
	}
	pixels = make([]uint16, len(float32Image))
	photons = g.poissonDraws(float32Image, fpixels, spixels, roi, seed, func(idx int, test float64) {
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
// as a photon-counting detector records them (for miniCBF). Pixels outside
// roi are 0. Bad sizes give nil, 0.
func (g *Generator) PoissonCounts(float32Image []float32, fpixels, spixels int, roi [4]int, seed *int64) (counts []int32, photons float64) {
	if fpixels < 0 || spixels < 0 || len(float32Image) != fpixels*spixels {
		return nil, 0
	}
	counts = make([]int32, len(float32Image))
	photons = g.poissonDraws(float32Image, fpixels, spixels, roi, seed, func(idx int, test float64) {
		// Deviates are whole numbers; beyond int32 (an absurd fluence) they saturate.
		counts[idx] = int32(max(math.MinInt32, min(math.MaxInt32, test)))
	})
	return counts, photons
}

// poissonDraws draws poidev(value) for every pixel inside roi in C's order
// and hands each deviate to put; it returns their sum.
func (g *Generator) poissonDraws(float32Image []float32, fpixels, spixels int, roi [4]int, seed *int64, put func(idx int, deviate float64)) (photons float64) {
	idx := 0
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if f < roi[0] || f > roi[1] || s < roi[2] || s > roi[3] {
				idx++
				continue
			}
			test := float64(g.Poidev(float32Image[idx], seed))
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
// pixels outside roi left 0. For the same seed it gives exactly what
// PoissonImage gives, so one set of draws can feed both an SMV and a
// miniCBF frame.
func CountsToSMV(counts []int32, fpixels, spixels int, roi [4]int, adcOffset float64) (pixels []uint16, overloads int) {
	if fpixels < 0 || spixels < 0 || len(counts) != fpixels*spixels {
		return nil, 0
	}
	pixels = make([]uint16, len(counts))
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if f < roi[0] || f > roi[1] || s < roi[2] || s > roi[3] {
				continue
			}
			idx := s*fpixels + f
			var over bool
			pixels[idx], over = smvPixel(float64(counts[idx]), adcOffset)
			if over {
				overloads++
			}
		}
	}
	return pixels, overloads
}
