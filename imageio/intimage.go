package imageio

import "math"

// inROI reports whether pixel (fast, slow) lies in roi = {fastMin,
// fastMax, slowMin, slowMax} (inclusive), nanoBragg's -roi test.
func inROI(roi [4]int, fast, slow int) bool {
	return fast >= roi[0] && fast <= roi[1] && slow >= roi[2] && slow <= roi[3]
}

// AutoIntScale returns nanoBragg's default -intfile scale: 55000/maxI when
// maxI > 0, otherwise 1. maxI is the largest float pixel (photons).
func AutoIntScale(maxI float64) float64 {
	if maxI > 0 {
		return 55000.0 / maxI
	}
	return 1
}

// IntImage converts a float image (photons) to nanoBragg's integer image:
// for each pixel inside roi, test = float*scale + adcOffset (in double),
// clamped to [0, 65535], and the pixel is floorf(test+0.5) — C's floorf
// takes a float, so test+0.5 is first rounded to float32, which can round
// values just below n+0.5 up. Pixels outside roi stay 0 (no ADC offset).
// A NaN pixel gives 0, as the C cast does on x86-64. img must hold
// fpixels*spixels values.
func IntImage(img []float32, fpixels, spixels int, roi [4]int, scale, adcOffset float64) []uint16 {
	out := make([]uint16, fpixels*spixels)
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if !inROI(roi, f, s) {
				continue
			}
			i := s*fpixels + f
			// Explicit conversions keep each step rounded separately (no FMA).
			test := float64(float64(img[i])*scale) + adcOffset
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
// pixels are those inside roi whose mask value is not 0 (mask may be nil);
// RMSD runs over every pixel inside roi, masked or not, as in C. Squares
// of pixels for RMS are float32 products, as C's float*float. Counts below
// the C guards are replaced as C does (N<=0 -> 1 for the mean, <=1 -> 2
// for the RMS values); the returned N is the true count. img (and mask,
// when not nil) must hold fpixels*spixels values.
func ImageStats(img []float32, fpixels, spixels int, roi [4]int, mask []uint16) Stats {
	st := Stats{MaxIndex: -1}
	var sum, sumsqr float64
	n := 0
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if !inROI(roi, f, s) {
				continue
			}
			i := s*fpixels + f
			if mask != nil && mask[i] == 0 {
				continue
			}
			v := img[i]
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
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if !inROI(roi, f, s) {
				continue
			}
			d := float64(img[s*fpixels+f]) - st.Mean
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
