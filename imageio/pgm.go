package imageio

import (
	"bufio"
	"fmt"
	"io"
	"math"

	"gobragg/raster"
)

// AutoPGMScale returns nanoBragg's default -pgmfile scale:
// 250/(5*rmsd) when rmsd > 0, otherwise the integer-image scale.
func AutoPGMScale(rmsd, intScale float64) float64 {
	if rmsd > 0 {
		return 250.0 / (5.0 * rmsd)
	}
	return intScale
}

// PGMBytes converts a float image to nanoBragg's PGM bytes, an image of
// img's size and ROI: inside the ROI, test = float*scale (double), values
// above 255 become 255, and the byte is test truncated toward zero;
// outside the ROI the byte is 0. Negative and NaN values give 0 (C's
// conversion of those is undefined; nanoBragg images are never negative).
// img must be img.Valid.
func PGMBytes(img raster.Image[float32], scale float64) raster.Image[byte] {
	out := raster.Image[byte]{Pix: make([]byte, img.Fast*img.Slow), Fast: img.Fast, Slow: img.Slow, ROI: img.ROI}
	for s := 0; s < img.Slow; s++ {
		for f := 0; f < img.Fast; f++ {
			if !img.ROI.Contains(f, s) {
				continue
			}
			i := s*img.Fast + f
			test := float64(img.Pix[i]) * scale
			if test > 255.0 {
				test = 255.0
			}
			if !(test > 0) || math.IsNaN(test) {
				continue
			}
			out.Pix[i] = byte(test)
		}
	}
	return out
}

// WritePGM writes a binary PGM (P5) as nanoBragg's -pgmfile:
// "P5\n<fast> <slow>\n# pixels scaled by <scale %g>\n255\n" then the
// bytes of every pixel (the ROI is not consulted). It fails unless pix
// is pix.Valid and not empty.
func WritePGM(w io.Writer, pix raster.Image[byte], scale float64) error {
	if pix.Fast <= 0 || pix.Slow <= 0 || !pix.Valid() {
		return fmt.Errorf("pgm: %d bytes given for a %dx%d image", len(pix.Pix), pix.Fast, pix.Slow)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "P5\n%d %d\n# pixels scaled by %s\n255\n", pix.Fast, pix.Slow, FormatG(scale))
	if _, err := bw.Write(pix.Pix); err != nil {
		return err
	}
	return bw.Flush()
}
