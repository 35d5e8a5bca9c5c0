package graph

import "fmt"

// A pixel list (Options.Pixels) restricts rendering to chosen pixels, e.g.
// the shoeboxes of the predicted spots: spans and work units then index
// the list instead of the detector, so the cost is that of the listed
// pixels alone.

// pixelAt returns the panel and the fast and slow coordinates of
// rendered pixel p (an index into Pixels when set, else an image index).
func (k *Diffraction) pixelAt(p int) (v *Setup, fp, sp int) {
	return k.locate(k.detectorIndex(p))
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

// checkPixelList requires increasing image indices of active pixels.
func checkPixelList(k *Diffraction, pixels []int) error {
	s := &k.Setup
	if len(pixels) == 0 {
		return fmt.Errorf("graph: the pixel list is empty")
	}
	prev := -1
	for _, d := range pixels {
		if d <= prev || d >= s.NPix() {
			if s.Panels != nil {
				return fmt.Errorf("graph: pixel list entry %d is out of order or outside the %d-pixel image of %d panels", d, s.NPix(), len(s.Panels))
			}
			return fmt.Errorf("graph: pixel list entry %d is out of order or outside the %dx%d detector", d, s.FPixels, s.SPixels)
		}
		if v, fp, sp := k.locate(d); !v.active(fp, sp) {
			if s.Panels != nil {
				return fmt.Errorf("graph: listed pixel (panel %d, slow %d, fast %d) is masked", v.panel, sp, fp)
			}
			return fmt.Errorf("graph: listed pixel (slow %d, fast %d) is outside the ROI or masked", sp, fp)
		}
		prev = d
	}
	return nil
}
