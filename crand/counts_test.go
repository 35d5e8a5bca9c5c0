package crand

import (
	"testing"

	"gobragg/raster"

	"github.com/stretchr/testify/require"
)

func TestCountsToSMVEqualsPoissonImage(t *testing.T) {
	const fp, sp = 23, 17
	img := make([]float32, fp*sp)
	for i := range img {
		img[i] = float32(i%7)*3.5 + float32(i%5)*2e4 // some pixels overload with the offset
	}
	im := raster.Image[float32]{Pix: img, Fast: fp, Slow: sp, ROI: raster.ROI{2, 20, 1, 15}}
	for _, adc := range []float64{0, 40, 10.5} {
		seedA, seedB := int64(-11), int64(-11)
		want, photonsA, overA := New().PoissonImage(im, &seedA, adc)
		counts, photonsB := New().PoissonCounts(im, &seedB)
		got, overB := CountsToSMV(counts, adc)
		require.Equal(t, want, got, "adc %g", adc)
		require.Equal(t, photonsA, photonsB)
		require.Equal(t, overA, overB)
		require.Equal(t, seedA, seedB, "same draws")
		require.Greater(t, overA, 0, "the test image must overload")
	}
}
