package imageio

import (
	"bufio"
	"fmt"
	"io"
	"math"
)

// AutoPGMScale returns nanoBragg's default -pgmfile scale:
// 250/(5*rmsd) when rmsd > 0, otherwise the integer-image scale.
func AutoPGMScale(rmsd, intScale float64) float64 {
	if rmsd > 0 {
		return 250.0 / (5.0 * rmsd)
	}
	return intScale
}

// PGMBytes converts a float image to nanoBragg's PGM bytes: inside roi,
// test = float*scale (double), values above 255 become 255, and the byte
// is test truncated toward zero; outside roi the byte is 0. Negative and
// NaN values give 0 (C's conversion of those is undefined; nanoBragg
// images are never negative). img must hold fpixels*spixels values.
func PGMBytes(img []float32, fpixels, spixels int, roi [4]int, scale float64) []byte {
	out := make([]byte, fpixels*spixels)
	for s := 0; s < spixels; s++ {
		for f := 0; f < fpixels; f++ {
			if !inROI(roi, f, s) {
				continue
			}
			i := s*fpixels + f
			test := float64(img[i]) * scale
			if test > 255.0 {
				test = 255.0
			}
			if !(test > 0) || math.IsNaN(test) {
				continue
			}
			out[i] = byte(test)
		}
	}
	return out
}

// WritePGM writes a binary PGM (P5) as nanoBragg's -pgmfile:
// "P5\n<fast> <slow>\n# pixels scaled by <scale %g>\n255\n" then the
// bytes. It fails when len(pix) is not fpixels*spixels.
func WritePGM(w io.Writer, fpixels, spixels int, pix []byte, scale float64) error {
	if fpixels <= 0 || spixels <= 0 || len(pix) != fpixels*spixels {
		return fmt.Errorf("pgm: %d bytes given for a %dx%d image", len(pix), fpixels, spixels)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "P5\n%d %d\n# pixels scaled by %s\n255\n", fpixels, spixels, FormatG(scale))
	if _, err := bw.Write(pix); err != nil {
		return err
	}
	return bw.Flush()
}
