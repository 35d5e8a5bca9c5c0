package crand

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
	idx := 0
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if f < roi[0] || f > roi[1] || s < roi[2] || s > roi[3] {
				idx++
				continue
			}
			test := float64(g.Poidev(float32Image[idx], seed))
			photons += test
			test += adcOffset
			if test > 65535.0 {
				test = 65535.0
				overloads++
			}
			pixels[idx] = toUshort(test)
			idx++
		}
	}
	return pixels, photons, overloads
}

// toUshort converts as gcc does on x86-64 for (unsigned short)double:
// truncate toward zero to a 32-bit integer, keep the low 16 bits.
func toUshort(x float64) uint16 {
	return uint16(int32(x))
}
