package graph

import (
	"errors"
	"fmt"
	"sort"

	"gobragg/raster"
)

// A multi-panel detector (Setup.Panels) renders every panel into one
// image: the panels one after another in their order, each slow x fast,
// fast-major. Pixel (panel, slow, fast) is at offset
// PanelOffset(panel) + slow*Panels[panel].FPixels + fast, the index the
// outputs, Options.Pixels, Mask and the per-pixel data all use. The
// detector Func gives each panel its own origin and axes (detLen values
// per panel, in panel order), and the kernel maps each pixel to its panel
// once, then runs the single-panel loop nest with that panel's geometry
// and sensor.

// PanelSetup is one panel's pixels and sensor: fast and slow pixel counts,
// square pixels of PixelSizeM metres, ThickSteps sensor layers of
// ThickStepM metres in a sensor DetectorThickM thick with attenuation
// MuPerM (1/m).
type PanelSetup struct {
	FPixels, SPixels int
	PixelSizeM       float64
	ThickSteps       int
	ThickStepM       float64
	DetectorThickM   float64
	MuPerM           float64
}

// NPanels is the number of panels (1 for a single-panel Setup).
func (s *Setup) NPanels() int { return max(1, len(s.Panels)) }

// PanelOffset is the offset of panel i's first pixel in the image.
func (s *Setup) PanelOffset(i int) int {
	off := 0
	for _, p := range s.Panels[:i] {
		off += p.FPixels * p.SPixels
	}
	return off
}

// checkPanels refuses what the multi-panel kernel cannot render.
func (s *Setup) checkPanels() error {
	if s.Panels == nil {
		return nil
	}
	if s.Curved {
		return errors.New("graph: a curved detector has one panel")
	}
	for i, p := range s.Panels {
		if p.FPixels < 1 || p.SPixels < 1 || !(p.PixelSizeM > 0) || p.ThickSteps < 1 {
			return fmt.Errorf("graph: panel %d has no pixels, no pixel size or no sensor layer", i)
		}
	}
	return nil
}

// panelSetups returns one Setup per panel: s with the panel's pixels,
// sensor and share of the mask, its ROI the whole panel, and pixelBase
// its offset in the image. A single-panel s is its own only panel.
func (s *Setup) panelSetups() []Setup {
	if s.Panels == nil {
		return []Setup{*s}
	}
	out := make([]Setup, len(s.Panels))
	off := 0
	for i, p := range s.Panels {
		v := *s
		v.Panels = nil
		v.FPixels, v.SPixels, v.PixelSizeM = p.FPixels, p.SPixels, p.PixelSizeM
		v.ThickSteps, v.ThickStepM, v.DetectorThickM, v.MuPerM = p.ThickSteps, p.ThickStepM, p.DetectorThickM, p.MuPerM
		v.ROI = raster.Full(p.FPixels, p.SPixels)
		n := p.FPixels * p.SPixels
		if s.Mask != nil {
			v.Mask = s.Mask[off : off+n]
		}
		v.pixelBase, v.panel = off, i
		out[i] = v
		off += n
	}
	return out
}

// locate returns the panel of image pixel d and its fast and slow
// coordinates there.
func (k *Diffraction) locate(d int) (v *Setup, fp, sp int) {
	i := 0
	if len(k.panels) > 1 {
		i = sort.Search(len(k.panels), func(j int) bool { return k.panels[j].pixelBase > d }) - 1
	}
	v = &k.panels[i]
	d -= v.pixelBase
	return v, d % v.FPixels, d / v.FPixels
}

// panelInputs returns each panel's view of the inputs: its detLen
// geometry values.
func (k *Diffraction) panelInputs(in *inputs) []inputs {
	out := make([]inputs, len(k.panels))
	for i := range out {
		out[i] = *in
		out[i].det = in.det[i*detLen : (i+1)*detLen]
	}
	return out
}

// activeAt reports whether image pixel d is rendered.
func (k *Diffraction) activeAt(d int) bool {
	v, fp, sp := k.locate(d)
	return v.active(fp, sp)
}
