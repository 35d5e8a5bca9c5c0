package sim

import (
	"errors"
	"fmt"
	"io"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/graph"
	"gobragg/imageio"
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

// usePanelsOf renders the multi-panel detector -expt_in read, refusing
// before anything is written what a multi-panel run cannot do: a -roi or
// -mask of one panel, and outputs of one panel (SMV, PGM, PNG, CBF, an
// experiment list, the trace and the printout). Only the float image is
// written, the panels one after another (writePanelOutputs).
func (p *Problem) usePanelsOf(s *config.Settings) error {
	fail := func(opt, what string) error {
		return &config.UsageError{Option: opt, Msg: fmt.Sprintf("%s; the -expt_in detector has %d panels, whose float image (-floatfile, panels one after another) is the only output", what, len(s.ExptPanels.Panels))}
	}
	for _, o := range []struct {
		given bool
		opt   string
	}{{s.CBFFile != "", "-cbffile"}, {s.PNGFile != "", "-pngfile"}, {s.ExptFile != "", "-expt"}, {s.Printout, "-printout"},
		{s.TracePixel[0] >= 0 || s.TracePixel[1] >= 0, "-trace_pixel"}} {
		if o.given {
			return fail(o.opt, "writes one panel's image or pixels")
		}
	}
	if err := p.UsePanels(*s.ExptPanels); err != nil {
		return &config.UsageError{Option: "-expt_in", Msg: err.Error()}
	}
	p.logf("  rendering %d panels of the -expt_in detector; the float image holds them one after another", len(s.ExptPanels.Panels))
	return nil
}

// writePanelOutputs writes a multi-panel run's float image: panel 0's
// slow x fast pixels (fast-major), then panel 1's, and so on
// (graph.Setup.PanelOffset gives each panel's offset).
func (p *Problem) writePanelOutputs(out io.Writer, res *Result, batch *imageio.Batch) error {
	s := p.Settings
	fmt.Fprintf(out, "multi-panel detector: only the float image is written (the panels one after another); no SMV, PGM or noise image\n")
	if s.FloatFile == "" {
		return nil
	}
	setup := p.Exp.Setup
	for i, ps := range setup.Panels {
		fmt.Fprintf(out, "  panel %d: %d x %d pixels (fast x slow) from float %d\n", i, ps.FPixels, ps.SPixels, setup.PanelOffset(i))
	}
	fmt.Fprintf(out, "writing %s as %d 4-byte floats\n", s.FloatFile, len(res.Float32))
	if err := batch.Add(p.Dirs.out(s.FloatFile), func(w io.Writer) error {
		return imageio.WriteFloat32(w, res.Float32)
	}); err != nil {
		return fmt.Errorf("floatfile: %w", err)
	}
	return nil
}
