package sim

import (
	"errors"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/graph"
)

// UsePanels makes the detector of p the panels of an experiment list's
// detector (every panel with its own frame, pixels and sensor, and its
// hierarchy), placed in the frame -expt_in simulates in. The beam,
// crystal and sampling stay p's. Every panel and every group gets its six
// motions as parameters at 0 (graph.PanelParam, graph.GroupParam). The
// image is then the panels one after another (graph.Setup.PanelOffset);
// sensor layers keep p's count, and a sensor without mu takes p's. A
// -mask or -roi of p's single panel cannot apply and is refused.
func (p *Problem) UsePanels(e expt.Single) error {
	exp := p.Exp
	s := &exp.Setup
	if s.Mask != nil {
		return errors.New("a -mask is the mask of one panel; a multi-panel detector has none")
	}
	if r := s.ROI; r[0] > 0 || r[1] < s.FPixels-1 || r[2] > 0 || r[3] < s.SPixels-1 {
		return errors.New("a -roi is a window of one panel; a multi-panel detector renders every panel")
	}
	fr := config.ExptLabFrame()
	frame := func(origin, fast, slow [3]float64) graph.PanelFrame {
		o := fr.FromDXTBX(origin)
		return graph.PanelFrame{Pix0M: [3]float64{o[0] / 1e3, o[1] / 1e3, o[2] / 1e3}, Fast: fr.FromDXTBX(fast), Slow: fr.FromDXTBX(slow)}
	}
	setups := make([]graph.PanelSetup, len(e.Panels))
	frames := make([]graph.PanelFrame, len(e.Panels))
	for i, pn := range e.Panels {
		ps := graph.PanelSetup{FPixels: pn.ImageSize[0], SPixels: pn.ImageSize[1], PixelSizeM: pn.PixelSizeMM[0] / 1e3,
			ThickSteps: 1, MuPerM: pn.MuPerMM * 1e3}
		if t := pn.ThicknessMM / 1e3; t > 0 {
			ps.DetectorThickM, ps.ThickSteps = t, max(1, s.ThickSteps)
			ps.ThickStepM = t / float64(ps.ThickSteps)
			if ps.MuPerM == 0 {
				ps.MuPerM = s.MuPerM
			}
		}
		setups[i] = ps
		frames[i] = frame(pn.Origin, pn.FastAxis, pn.SlowAxis)
		for _, k := range graph.PanelMotions {
			exp.Params.Set(graph.PanelParam(i, k), 0)
		}
	}
	groups := 0
	var tree func(g *expt.Group) *graph.PanelGroup
	tree = func(g *expt.Group) *graph.PanelGroup {
		for _, k := range graph.PanelMotions {
			exp.Params.Set(graph.GroupParam(groups, k), 0)
		}
		groups++
		out := &graph.PanelGroup{Frame: frame(g.Lab.Origin, g.Lab.Fast, g.Lab.Slow), Panels: g.Panels}
		for _, c := range g.Groups {
			out.Groups = append(out.Groups, tree(c))
		}
		return out
	}
	if e.Hierarchy != nil {
		exp.PanelTree = tree(e.Hierarchy)
	}
	s.Panels, exp.Panels = setups, frames
	return nil
}
