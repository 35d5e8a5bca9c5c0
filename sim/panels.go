package sim

import (
	"errors"
	"fmt"
	"io"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/raster"
)

// UsePanels makes the detector of p the panels of an experiment list's
// detector (every panel with its own frame, pixels and sensor, and its
// hierarchy), placed in the frame -expt_in simulates in. The beam,
// crystal and sampling stay p's. Every panel and every group gets its six
// motions as parameters at 0 (graph.PanelParam, graph.GroupParam), or
// only the motions named (fewer parameters make the geometry's
// derivatives cheaper: a fit of a few motions). The
// image is then the panels one after another (graph.Setup.PanelOffset);
// sensor layers keep p's count, and a sensor without mu takes p's. A
// -mask or -roi of p's single panel cannot apply and is refused.
func (p *Problem) UsePanels(e expt.Single, motions ...string) error {
	exp := p.Exp
	want := map[string]bool{}
	for _, m := range motions {
		want[m] = true
	}
	add := func(name string) {
		if len(motions) == 0 || want[name] {
			exp.Params.Set(name, 0)
			delete(want, name)
		}
	}
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
			add(graph.PanelParam(i, k))
		}
	}
	groups := 0
	var tree func(g *expt.Group) *graph.PanelGroup
	tree = func(g *expt.Group) *graph.PanelGroup {
		for _, k := range graph.PanelMotions {
			add(graph.GroupParam(groups, k))
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
	for name := range want {
		return fmt.Errorf("%s is not a motion of a panel or group of this detector", name)
	}
	s.Panels, exp.Panels = setups, frames
	return nil
}

// usePanelsOf renders the multi-panel detector -expt_in read, refusing
// before anything is written what a multi-panel run cannot do: a -roi or
// -mask of one panel, and outputs of one panel (SMV, PGM, PNG, the trace
// and the printout). The float image, the full CBF and the experiment
// list are written (writePanelOutputs).
func (p *Problem) usePanelsOf(s *config.Settings) error {
	fail := func(opt, what string) error {
		return &config.UsageError{Option: opt, Msg: fmt.Sprintf("%s; the -expt_in detector has %d panels, whose outputs are the float image (-floatfile, panels one after another), a full CBF (-cbffile) and its list (-expt)", what, len(s.ExptPanels.Panels))}
	}
	for _, o := range []struct {
		given bool
		opt   string
	}{{s.PNGFile != "", "-pngfile"}, {s.Printout, "-printout"},
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
// (graph.Setup.PanelOffset gives each panel's offset); with -cbffile the
// Poisson counts as a full CBF of one array per panel with the list's
// hierarchy (imageio.WriteMultiCBF), which dials.import reads back with
// the list's geometry; with -expt the list of that still.
func (p *Problem) writePanelOutputs(out io.Writer, res *Result, batch *imageio.Batch) error {
	s := p.Settings
	fmt.Fprintf(out, "multi-panel detector: no SMV, PGM or noise image (the float image holds the panels one after another)\n")
	setup := p.Exp.Setup
	if s.FloatFile != "" {
		for i, ps := range setup.Panels {
			fmt.Fprintf(out, "  panel %d: %d x %d pixels (fast x slow) from float %d\n", i, ps.FPixels, ps.SPixels, setup.PanelOffset(i))
		}
		fmt.Fprintf(out, "writing %s as %d 4-byte floats\n", s.FloatFile, len(res.Float32))
		if err := batch.Add(p.Dirs.out(s.FloatFile), func(w io.Writer) error {
			return imageio.WriteFloat32(w, res.Float32)
		}); err != nil {
			return fmt.Errorf("floatfile: %w", err)
		}
	}
	if s.CBFFile != "" {
		seed := s.Seed
		n := len(res.Float32)
		counts, photons := p.Gen.PoissonCounts(raster.Whole(res.Float32, n, 1), &seed)
		fmt.Fprintf(out, "%.0f photons on noise image\n", photons)
		fmt.Fprintf(out, "writing %s as a full CBF of %d panels (4-byte integers)\n", s.CBFFile, len(setup.Panels))
		m := p.multiCBF(counts.Pix)
		if err := batch.Add(p.Dirs.out(s.CBFFile), func(w io.Writer) error { return imageio.WriteMultiCBF(w, m) }); err != nil {
			return fmt.Errorf("cbffile: %w", err)
		}
	}
	if s.ExptFile != "" {
		l, err := p.panelList()
		if err != nil {
			return fmt.Errorf("expt: %w", err)
		}
		fmt.Fprintf(out, "writing %s as a DIALS experiment list\n", s.ExptFile)
		if err := batch.Add(p.Dirs.out(s.ExptFile), l.Write); err != nil {
			return fmt.Errorf("expt: %w", err)
		}
	}
	return nil
}

// multiCBF is the full CBF of a multi-panel run: the list's hierarchy with
// its local frames, each panel's counts, and the spindle's rotation when
// the run turns it (-osc > 0).
func (p *Problem) multiCBF(counts []int32) imageio.MultiCBF {
	e := p.Settings.ExptPanels
	setup := p.Exp.Setup
	var node func(g *expt.Group) *imageio.CBFNode
	node = func(g *expt.Group) *imageio.CBFNode {
		n := &imageio.CBFNode{Panel: -1, Fast: g.Local.Fast, Slow: g.Local.Slow, Origin: g.Local.Origin}
		for _, i := range g.Panels {
			f := e.LocalFrames[i]
			n.Children = append(n.Children, &imageio.CBFNode{Panel: i, Fast: f.Fast, Slow: f.Slow, Origin: f.Origin})
		}
		for _, c := range g.Groups {
			n.Children = append(n.Children, node(c))
		}
		return n
	}
	m := imageio.MultiCBF{Root: node(e.Hierarchy), WavelengthA: p.Settings.Lambda0 * 1e10}
	if s := p.Settings; s.Osc > 0 {
		// A rotation frame: the spindle in the list's frame (panelList's).
		m.Rotation = &imageio.CBFRotation{Axis: config.ExptLabFrame().ToDXTBX(p.Geometry.Spindle), StartDeg: s.Phi0 * rtd, WidthDeg: s.Osc * rtd}
	}
	for i, pn := range e.Panels {
		off, size := setup.PanelOffset(i), pn.ImageSize[0]*pn.ImageSize[1]
		m.Panels = append(m.Panels, imageio.CBFPanel{SizeFast: pn.ImageSize[0], SizeSlow: pn.ImageSize[1], PixelSizeMM: pn.PixelSizeMM[0],
			TrustedRange: pn.TrustedRange, Gain: pn.Gain, Counts: counts[off : off+size]})
	}
	return m
}

// panelList is the experiment list of a multi-panel still: PanelShot with
// the -cbffile image.
func (p *Problem) panelList() (*expt.List, error) {
	shot, err := p.PanelShot()
	if err != nil {
		return nil, err
	}
	shot.Goniometer = nil // a still's list, as before sweeps wrote multi-panel frames
	if cbf := p.Settings.CBFFile; cbf != "" {
		shot.Images = []string{p.Dirs.out(cbf)}
	}
	return expt.NewList([]expt.Shot{shot})
}

// PanelShot is the experiment of a multi-panel run, without images: the
// simulated beam and crystal (at spindle angle 0), the list's detector as
// it was read (local frames and hierarchy) and the run's goniometer.
func (p *Problem) PanelShot() (expt.Shot, error) {
	e := p.Settings.ExptPanels
	if e == nil || p.Exp.Setup.Panels == nil {
		return expt.Shot{}, errors.New("the run's detector is not a multi-panel -expt_in detector")
	}
	m, err := p.ExptModels(FormatCBF)
	if err != nil {
		return expt.Shot{}, err
	}
	if m.Frame != config.ExptLabFrame() {
		return expt.Shot{}, errors.New("the run's beam and spindle are not the -expt_in list's: its detector would be written in another frame")
	}
	local := make([]expt.Panel, len(e.Panels))
	for i, pn := range e.Panels {
		f := e.LocalFrames[i]
		pn.FastAxis, pn.SlowAxis, pn.Origin = f.Fast, f.Slow, f.Origin
		local[i] = pn
	}
	det := expt.NewDetector(local, e.Hierarchy)
	return expt.Shot{Beam: m.Beam, Detector: &det, Goniometer: &m.Goniometer, Crystal: &m.Crystal}, nil
}

// KeepMotions keeps, of the panel and group motions UsePanels made
// parameters, only those named (the derivatives of a few motions are
// cheaper than of every one): a fit of some panels leaves the rest where
// they are. A name that is not a motion of this detector is an error.
func (p *Problem) KeepMotions(names ...string) error {
	keep := map[string]bool{}
	for _, n := range names {
		if !p.Exp.Params.Has(n) {
			return fmt.Errorf("%s is not a motion of a panel or group of this detector (%d panels)", n, len(p.Exp.Panels))
		}
		keep[n] = true
	}
	old := p.Exp.Params
	q := graph.NewParams()
	values := old.Values()
	for i, n := range old.Names() {
		if graph.IsPanelMotion(n) && !keep[n] {
			continue
		}
		q.Set(n, values[i])
	}
	p.Exp.Params = q
	return nil
}
