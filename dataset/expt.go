package dataset

import (
	"fmt"

	"gobragg/expt"
	"gobragg/imageio"
)

// ExperimentList returns the DIALS experiment list of frames (a sweep
// from the smallest to the largest number): the simulated beam, detector,
// goniometer and crystal (at spindle angle 0) and a scan whose image i
// starts at PhiDeg(i), with the frames' template. A multi-panel -expt_in
// detector is written as the list held it (local frames, hierarchy).
func (sw *Sweep) ExperimentList(frames []int) (*expt.List, error) {
	if len(frames) == 0 {
		return nil, fmt.Errorf("expt: no frames")
	}
	first, last := frames[0], frames[0]
	for _, i := range frames {
		first, last = min(first, i), max(last, i)
	}
	p, err := sw.Prepare(first)
	if err != nil {
		return nil, err
	}
	sc := p.Scan(first, last, sw.PhiDeg(first), sw.OscDeg)
	if p.Exp.Setup.Panels != nil {
		// The -expt_in detector's panels, as its frames' full CBFs hold them.
		shot, err := p.PanelShot()
		if err != nil {
			return nil, err
		}
		shot.Scan, shot.Template = &sc, sw.Template.Path
		return expt.NewList([]expt.Shot{shot})
	}
	m, err := p.ExptModels(sw.Template.imageFormat())
	if err != nil {
		return nil, err
	}
	return expt.NewList([]expt.Shot{{Beam: m.Beam, Panel: m.Panel, Goniometer: &m.Goniometer, Scan: &sc,
		Crystal: &m.Crystal, Template: sw.Template.Path}})
}

// WriteExpt writes ExperimentList(frames) to path (atomically).
func (sw *Sweep) WriteExpt(path string, frames []int) error {
	l, err := sw.ExperimentList(frames)
	if err != nil {
		return err
	}
	return imageio.WriteFileAtomic(path, l.Write)
}
