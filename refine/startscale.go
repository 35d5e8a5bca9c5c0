package refine

import (
	"math"

	"gobragg/graph"
)

// scaleFromData sets the starting scale of every frame's model (and of the
// fit, when scale is refined) to the data's counts above the starting
// background over the starting model's photons on the fitted pixels of
// all frames (Problem.ScaleFromData). A start with no photons or no counts
// above the background is refused: there is nothing to scale.
func (f *fitter) scaleFromData() error {
	if err := f.setValues(f.starts); err != nil {
		return err
	}
	if err := f.runFrames(); err != nil {
		return err
	}
	f.cacheOK = false
	var above, photons float64
	for k, m := range f.models {
		bkg := f.background(k)
		for i, v := range m.Image() {
			if math.IsNaN(f.data[k][i]) {
				continue // not data (DataLoss leaves it out too)
			}
			above += f.data[k][i] - bkg[i]
			photons += v
		}
	}
	if !(photons > 0) {
		return noSignalf("-scale from the data: the starting model has no Bragg photons in the %d fitted pixels", f.npix)
	}
	if !(above > 0) {
		return noSignalf("-scale from the data: the %d fitted pixels hold no counts above the starting background", f.npix)
	}
	scale := above / photons
	for _, m := range f.models {
		m.Exp.Params.Set(graph.PScale, scale)
	}
	for j, in := range f.infos {
		if in.Param == graph.PScale {
			f.starts[j] = scale
		}
	}
	return nil
}
