package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// SimulateOptions choose which pixels a Simulation renders.
type SimulateOptions struct {
	// Pixels, when non-nil, are the only pixels rendered (image indices,
	// increasing, as Options.Pixels); the image node then has one value
	// per listed pixel, in list order.
	Pixels []int
	// SpanPixels is how many pixels the image node holds: the rendered
	// pixels are cut into spans of this many (a multiple of 2048), chosen
	// with SetSpan. 0 renders them all in one span.
	SpanPixels int
}

// Simulation is the simulator placed in a Gorgonia graph by Simulate: the
// experiment's geometry steps, the fused diffraction op and the scaling
// to photons, as ordinary nodes between the caller's theta and F and the
// Image node. Gorgonia's Grad and a TapeMachine then differentiate a
// caller's loss of Image with respect to theta and F, and through them
// to whatever nodes produced them.
type Simulation struct {
	// Image is the simulated image of the current span in photons per
	// pixel (fast-major detector order, or the order of Pixels): a vector
	// of SpanLen values; past the last rendered pixel it holds zeros.
	Image *G.Node
	// Kernel is the fused diffraction op's kernel (its Setup, span and
	// pixel list).
	Kernel *Diffraction

	npix int
	span int

	// The kernel's inputs but F, read by Model for its trace and Jacobian.
	geometry
}

// Simulate adds the simulation of exp to g. theta holds the experiment's
// parameters (exp.Params: packed order, graph units, exp.Params.Len()
// values) and F the dense structure-factor table (len(exp.F) values,
// indexed by exp.Setup.Grid); both may be any float64 vector nodes of g,
// inputs or computed. The phi = 0 carry-over and the kernel's determinism
// are those of Build, which is itself a user of Simulate.
func Simulate(g *G.ExprGraph, theta, F *G.Node, exp *Experiment, opts SimulateOptions) (*Simulation, error) {
	for _, in := range []struct {
		name string
		n    *G.Node
		want int
	}{{"theta", theta, exp.Params.Len()}, {"F", F, len(exp.F)}} {
		if in.n == nil || in.n.Graph() != g {
			return nil, fmt.Errorf("graph: Simulate: %s is not a node of the graph", in.name)
		}
		if sh := in.n.Shape(); sh.TotalSize() != in.want || len(sh) > 1 {
			return nil, fmt.Errorf("graph: Simulate: %s has shape %v, want a vector of %d values", in.name, sh, in.want)
		}
	}
	return simulate(&Graph{G: g}, theta, F, exp, opts)
}

// simulate builds the nodes of Simulate in gr.
func simulate(gr *Graph, theta, F *G.Node, exp *Experiment, opts SimulateOptions) (*Simulation, error) {
	if err := checkFinite("parameters", exp.Params.values); err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	if err := exp.Setup.checkPanels(); err != nil {
		return nil, err
	}
	if n := len(exp.Panels); n != len(exp.Setup.Panels) {
		return nil, fmt.Errorf("graph: %d panel frames for %d panels", n, len(exp.Setup.Panels))
	}
	sm := &Simulation{Kernel: NewDiffraction(exp.Setup)}
	if exp.SourceWeights != nil {
		if len(exp.SourceWeights) != exp.Setup.NSources {
			return nil, fmt.Errorf("graph: %d source weights for %d sources", len(exp.SourceWeights), exp.Setup.NSources)
		}
		sm.Kernel.SourceWeights = exp.SourceWeights
	}
	geo, err := wireGeometry(gr, theta, exp)
	if err != nil {
		return nil, err
	}
	sm.geometry = geo
	s := &sm.Kernel.Setup
	sm.npix = s.NPix()
	if opts.Pixels != nil {
		if err := checkPixelList(sm.Kernel, opts.Pixels); err != nil {
			return nil, err
		}
		sm.Kernel.Pixels = opts.Pixels
		sm.npix = len(opts.Pixels)
	}
	span := sm.npix
	if opts.SpanPixels != 0 {
		if opts.SpanPixels < 0 || opts.SpanPixels%tilePixels != 0 {
			return nil, fmt.Errorf("graph: span of %d pixels is not a positive multiple of %d", opts.SpanPixels, tilePixels)
		}
		span = min(sm.npix, opts.SpanPixels)
	}
	sm.span = max(span, 1)
	sm.Kernel.SpanLen = sm.span
	sm.Kernel.Span = [2]int{0, min(sm.span, sm.npix)}
	scale, err := newScaleFunc(exp, sm.span)
	if err != nil {
		return nil, err
	}
	packed, err := gr.Apply(diffractionFunc{sm.Kernel}, append(geo.nodes(), F)...)
	if err != nil {
		return nil, err
	}
	if sm.Image, err = gr.Apply(scale, packed, theta); err != nil {
		return nil, err
	}
	return sm, nil
}

// SpanLen is the number of values of the Image node.
func (sm *Simulation) SpanLen() int { return sm.span }

// Pixels is the number of pixels rendered over all spans.
func (sm *Simulation) Pixels() int { return sm.npix }

// Spans is the number of spans that cover the rendered pixels.
func (sm *Simulation) Spans() int { return (sm.npix + sm.span - 1) / sm.span }

// SetSpan makes the next run of the graph render span i (0 <= i < Spans())
// and returns its first and one-past-last pixel (indices into Pixels, or
// detector indices without a list). Losses and gradients of a streamed
// image are the sums of the spans' in span order.
func (sm *Simulation) SetSpan(i int) (start, end int, err error) {
	if i < 0 || i >= sm.Spans() {
		return 0, 0, fmt.Errorf("graph: span %d is outside 0..%d", i, sm.Spans()-1)
	}
	start = i * sm.span
	end = min(start+sm.span, sm.npix)
	sm.Kernel.Span = [2]int{start, end}
	return start, end, nil
}
