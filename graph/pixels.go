package graph

import "fmt"

// A pixel list (Options.Pixels) restricts rendering to chosen pixels, e.g.
// the shoeboxes of the predicted spots: spans and work units then index
// the list instead of the detector, so the cost is that of the listed
// pixels alone.

// pixelAt returns the fast and slow coordinates of rendered pixel p (an
// index into Pixels when set, else a detector index).
func (k *Diffraction) pixelAt(p int) (fp, sp int) {
	d := k.detectorIndex(p)
	return d % k.FPixels, d / k.FPixels
}

// detectorIndex returns the detector index of rendered pixel p.
func (k *Diffraction) detectorIndex(p int) int {
	if k.Pixels != nil {
		return k.Pixels[p]
	}
	return p
}

// renderedPixels is the number of pixels one pass renders.
func (k *Diffraction) renderedPixels() int {
	if k.Pixels != nil {
		return len(k.Pixels)
	}
	return k.NPix()
}

// checkPixelList requires increasing detector indices of active pixels.
func checkPixelList(s *Setup, pixels []int) error {
	if len(pixels) == 0 {
		return fmt.Errorf("graph: the pixel list is empty")
	}
	prev := -1
	for _, d := range pixels {
		if d <= prev || d >= s.NPix() {
			return fmt.Errorf("graph: pixel list entry %d is out of order or outside the %dx%d detector", d, s.FPixels, s.SPixels)
		}
		if !s.active(d%s.FPixels, d/s.FPixels) {
			return fmt.Errorf("graph: listed pixel (slow %d, fast %d) is outside the ROI or masked", d/s.FPixels, d%s.FPixels)
		}
		prev = d
	}
	return nil
}
