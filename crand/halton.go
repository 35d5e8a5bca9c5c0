package crand

// HaltonDraw returns the i-th point (i >= 1) of the Halton sequence of
// bases 2, 3 and 5, mapped to [-1, 1] as MosaicDraw's deviates are: a
// low-discrepancy stand-in for three ran1 draws, so that K mosaic domains
// cover their cap with an error near 1/K rather than 1/sqrt(K).
func HaltonDraw(i int) (r1, r2, r3 float64) {
	return 2*radicalInverse(i, 2) - 1, 2*radicalInverse(i, 3) - 1, 2*radicalInverse(i, 5) - 1
}

// radicalInverse mirrors the base-b digits of i about the radix point:
// 0.d0 d1 d2... for i = ...d2 d1 d0.
func radicalInverse(i, b int) float64 {
	x, f := 0.0, 1.0/float64(b)
	for ; i > 0; i /= b {
		x += float64(i%b) * f
		f /= float64(b)
	}
	return x
}
