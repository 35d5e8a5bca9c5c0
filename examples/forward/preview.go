package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"slices"

	"gobragg/imageio"
)

// writeNoisePreview renders an SMV image the way crystallographers look at
// frames (white background, dark spots, linear scale): counts minus adc
// from 0 to black at median + 12 standard deviations of the Poisson
// background, so every spot a few sigma above the background shows.
func writeNoisePreview(smvPath, pngPath string, adc float64) error {
	data, err := os.ReadFile(smvPath)
	if err != nil {
		return err
	}
	f, err := imageio.ReadSMV(bytes.NewReader(data), smvPath)
	if err != nil {
		return err
	}
	counts := make([]float64, len(f.Pixels))
	for i, v := range f.Pixels {
		counts[i] = math.Max(float64(v)-adc, 0)
	}
	sorted := slices.Clone(counts)
	slices.Sort(sorted)
	median := sorted[len(sorted)/2]
	black := median + 12*math.Sqrt(median+1)
	img := image.NewGray(image.Rect(0, 0, f.Width, f.Height))
	for i, c := range counts {
		t := math.Min(c/black, 1)
		img.Pix[i] = uint8(math.Round(255 * (1 - t)))
	}
	if err := imageio.WriteFileAtomic(pngPath, func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
		return fmt.Errorf("preview %s: %w", pngPath, err)
	}
	return nil
}
