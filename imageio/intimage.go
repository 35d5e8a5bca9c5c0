package imageio

import (
	"math"

	"gobragg/raster"
)

// AutoIntScale returns nanoBragg's default -intfile scale: 55000/maxI when
// maxI > 0, otherwise 1. maxI is the largest float pixel (photons).
func AutoIntScale(maxI float64) float64 {
	if maxI > 0 {
		return 55000.0 / maxI
	}
	return 1
}

// IntImage converts a float image (photons) to nanoBragg's integer image:
// for each pixel inside img.ROI, test = float*scale + adcOffset (in double),
// clamped to [0, 65535], and the pixel is floorf(test+0.5) — C's floorf
// takes a float, so test+0.5 is first rounded to float32, which can round
// values just below n+0.5 up. Pixels outside the ROI stay 0 (no ADC
// offset). A NaN pixel gives 0, as the C cast does on x86-64. img must be
// img.Valid.
func IntImage(img raster.Image[float32], scale, adcOffset float64) []uint16 {
	out := make([]uint16, img.Fast*img.Slow)
	for s := 0; s < img.Slow; s++ {
		for f := 0; f < img.Fast; f++ {
			if !img.ROI.Contains(f, s) {
				continue
			}
			i := s*img.Fast + f
			// Explicit conversions keep each step rounded separately (no FMA).
			test := float64(float64(img.Pix[i])*scale) + adcOffset
			if test > 65535.0 {
				test = 65535.0
			}
			if test < 0.0 {
				test = 0.0
			}
			r := math.Floor(float64(float32(test + 0.5)))
			if math.IsNaN(r) {
				continue
			}
			out[i] = uint16(r)
		}
	}
	return out
}

// Stats are the statistics nanoBragg prints after rendering ("max_I",
// "mean= rms= rmsd=") and from which it picks its default output scales.
type Stats struct {
	MaxI     float64 // largest rendered pixel, 0 when none is positive
	MaxIndex int     // index of the first pixel equal to MaxI, -1 when MaxI is 0
	Mean     float64 // sum/N over rendered pixels
	RMS      float64 // sqrt(sum of squares/(N-1)) over rendered pixels
	RMSD     float64 // sqrt(sum (v-Mean)^2/(M-1)) over all M pixels in the ROI
	N        int     // rendered pixels: in the ROI and not masked
}

// ImageStats computes Stats in nanoBragg's order and precision. Rendered
// pixels are those inside img.ROI whose mask value is not 0 (mask may be
// nil); RMSD runs over every pixel inside the ROI, masked or not, as in C. Squares
// of pixels for RMS are float32 products, as C's float*float. Counts below
// the C guards are replaced as C does (N<=0 -> 1 for the mean, <=1 -> 2
// for the RMS values); the returned N is the true count. img must be
// img.Valid and mask, when not nil, must hold as many values as img.
func ImageStats(img raster.Image[float32], mask []uint16) Stats {
	st := Stats{MaxIndex: -1}
	var sum, sumsqr float64
	n := 0
	for s := 0; s < img.Slow; s++ {
		for f := 0; f < img.Fast; f++ {
			if !img.ROI.Contains(f, s) {
				continue
			}
			i := s*img.Fast + f
			if mask != nil && mask[i] == 0 {
				continue
			}
			v := img.Pix[i]
			if float64(v) > st.MaxI {
				st.MaxI = float64(v)
				st.MaxIndex = i
			}
			sum += float64(v)
			sumsqr += float64(v * v)
			n++
		}
	}
	st.N = n
	if n <= 0 {
		n = 1
	}
	st.Mean = sum / float64(n)
	if n <= 1 {
		n = 2
	}
	st.RMS = math.Sqrt(sumsqr / float64(n-1))

	sumsqr = 0
	m := 0
	for s := 0; s < img.Slow; s++ {
		for f := 0; f < img.Fast; f++ {
			if !img.ROI.Contains(f, s) {
				continue
			}
			d := float64(img.At(f, s)) - st.Mean
			sumsqr += d * d
			m++
		}
	}
	if m <= 1 {
		m = 2
	}
	st.RMSD = math.Sqrt(sumsqr / float64(m-1))
	return st
}
