package graph

import (
	"fmt"
	"io"
	"runtime"

	G "gorgonia.org/gorgonia"
)

// Options choose what a Model computes.
type Options struct {
	// Gradient adds the backward pass (with respect to the parameters and
	// the structure factors). Without it the same graph runs forward only.
	Gradient bool
	// Loss is the scalar the backward pass differentiates (nil: the sum of
	// the image): a caller's loss of the image, or the debugging losses
	// Weighted and Squared.
	Loss Loss
	// Pixels, when non-nil, are the only pixels rendered (image indices,
	// increasing): the image and the Loss then have one value
	// per listed pixel, in list order. Pixel (slow, fast) of a single panel
	// is slow*FPixels + fast; pixel (panel, slow, fast) of a multi-panel
	// detector is Setup.PanelOffset(panel) + slow*Panels[panel].FPixels +
	// fast (the panels one after another, each fast-major).
	Pixels []int
	// SpanPixels is how many pixels one run of the graph renders (a
	// multiple of 2048; 0: 65536). Smaller spans use less memory.
	SpanPixels int
	// SpanDone, if set, is called by Run after each span (forward and, with
	// Gradient, backward pass) with the number of pixel indices done so far
	// out of Setup.NPix() (out of len(Pixels) with a pixel list): the
	// progress of a gradient.
	SpanDone func(pixelsDone int)
}

// Model is the compiled simulation graph:
// parameters -> geometry -> diffraction kernel -> scaling -> image -> loss.
type Model struct {
	Exp    *Experiment
	Kernel *Diffraction
	opts   Options

	g                                    *Graph
	sim                                  *Simulation
	theta, fNode                         *G.Node
	latNode, recipNode, detNode, srcNode *G.Node
	scalNode, imageNode, loss            *G.Node
	vLat, vRecip, vDet, vSrc, vScal, vF  G.Value
	vImage, vLoss                        G.Value
	machine                              G.VM
	carried                              []bool
	ran                                  bool
	err                                  error

	// The graph renders the detector span by span (spanPixels at a time);
	// Run adds the spans' results up in span order.
	span      int
	image     []float64
	lossSum   float64
	gradTheta []float64
	gradF     []float64

	// geoJac gives du/dtheta for Jacobian, compiled at its first call.
	geoJac *geometryJacobian
}

// spanPixels is how many pixels one run of the graph renders by default: large enough
// that the fixed cost of a run (~0.1 ms) is negligible, small enough that
// the graph's per-pixel vectors stay a few megabytes. A multiple of the
// kernel's work unit, so that the units (and the sums over them) do not
// depend on it.
const spanPixels = 32 * tilePixels

// Build compiles the graph of an experiment.
func Build(exp *Experiment, opts Options) (*Model, error) {
	m := &Model{Exp: exp, opts: opts, g: NewGraph()}
	gr := m.g
	m.theta = gr.Vector("theta", exp.Params.Values())
	m.fNode = gr.Vector("F", exp.F)
	span := opts.SpanPixels
	if span == 0 {
		span = spanPixels
	}
	sm, err := simulate(gr, m.theta, m.fNode, exp, SimulateOptions{Pixels: opts.Pixels, SpanPixels: span})
	if err != nil {
		return nil, err
	}
	m.sim = sm
	m.Kernel = sm.Kernel
	m.latNode, m.recipNode, m.detNode, m.srcNode, m.scalNode = sm.latNode, sm.recipNode, sm.detNode, sm.srcNode, sm.scalNode
	m.carried = sm.carried
	m.imageNode = sm.Image
	npix := sm.npix
	span = sm.span
	m.span = span
	must := func(n *G.Node, err error) *G.Node {
		if err != nil && m.err == nil {
			m.err = err
		}
		return n
	}
	loss := opts.Loss
	if loss == nil {
		loss = sumLoss{}
	}
	if n := loss.Pixels(); n != 0 && n != npix {
		return nil, fmt.Errorf("graph: the loss has %d pixels, the image %d", n, npix)
	}
	f := lossFunc{loss: loss, kernel: m.Kernel, span: span, nparams: exp.Params.Len()}
	// Sum makes the one-value vector the scalar Gorgonia differentiates.
	m.loss = must(G.Sum(must(gr.Apply(f, m.imageNode, m.theta))))
	if m.err != nil {
		return nil, m.err
	}
	for _, r := range []struct {
		n *G.Node
		v *G.Value
	}{{m.latNode, &m.vLat}, {m.recipNode, &m.vRecip}, {m.detNode, &m.vDet}, {m.srcNode, &m.vSrc},
		{m.scalNode, &m.vScal}, {m.fNode, &m.vF}, {m.imageNode, &m.vImage}, {m.loss, &m.vLoss}} {
		G.Read(r.n, r.v)
	}
	if opts.Gradient {
		if _, err := G.Grad(m.loss, m.theta, m.fNode); err != nil {
			return nil, fmt.Errorf("graph: building the backward pass: %w", err)
		}
	}
	m.machine = G.NewTapeMachine(gr.G)
	return m, nil
}

// Run evaluates the graph (and its backward pass when built with Gradient)
// over the whole detector, span by span, adding the spans' loss and
// gradients up in span order.
func (m *Model) Run() error { return m.run(nil) }

// RunSpans is Run for forward renders of large detectors: instead of
// keeping the float64 image (Image returns nil) it hands each span's image
// to fn in span order (start is the span's first pixel; the slice is
// reused after fn returns).
func (m *Model) RunSpans(fn func(start int, image []float64)) error { return m.run(fn) }

func (m *Model) run(spanImage func(start int, image []float64)) error {
	npix := m.Kernel.renderedPixels()
	m.image = nil
	if spanImage == nil {
		m.image = make([]float64, npix)
	}
	m.lossSum = 0
	m.gradTheta = make([]float64, m.Exp.Params.Len())
	m.gradF = make([]float64, len(m.Exp.F))
	for i := range m.sim.Spans() {
		start, end, err := m.sim.SetSpan(i)
		if err != nil {
			return err
		}
		m.machine.Reset()
		if err := m.machine.RunAll(); err != nil {
			return fmt.Errorf("graph: %w", vmError{err})
		}
		if spanImage != nil {
			spanImage(start, values(m.vImage)[:end-start])
		} else {
			copy(m.image[start:end], values(m.vImage))
		}
		if l := values(m.vLoss); len(l) > 0 {
			m.lossSum += l[0]
		}
		if m.opts.Gradient {
			for _, acc := range []struct {
				n   *G.Node
				sum []float64
			}{{m.theta, m.gradTheta}, {m.fNode, m.gradF}} {
				gv, err := acc.n.Grad()
				if err != nil {
					return fmt.Errorf("graph: gradient not available: %w", err)
				}
				for i, x := range values(gv) {
					acc.sum[i] += x
				}
			}
		}
		if m.opts.SpanDone != nil {
			m.opts.SpanDone(end)
		}
	}
	m.ran = true
	return nil
}

// vmError is an error of Gorgonia's machine, whose context (the
// instruction) does not unwrap, made to unwrap to the op's own error, so
// that errors.Is finds ErrPanelBehind; its text is unchanged.
type vmError struct{ err error }

func (e vmError) Error() string { return e.err.Error() }

func (e vmError) Unwrap() error {
	if c, ok := e.err.(interface{ Err() error }); ok {
		return c.Err()
	}
	return e.err
}

// Close releases the machine.
func (m *Model) Close() {
	if m.geoJac != nil {
		m.geoJac.close()
	}
	m.machine.Close()
	// Gorgonia's TapeMachine carries a finalizer and sits in a reference
	// cycle with its program, and the garbage collector never frees a cycle
	// with a finalizer: without this every closed gradient graph stays in
	// memory (about 0.3 MB each for a 20x20 detector).
	runtime.SetFinalizer(m.machine, nil)
}

func values(v G.Value) []float64 {
	if v == nil {
		return nil
	}
	d, _ := vectorData(v)
	return d
}

// Image returns the float image (photons per pixel, fast-major) in float64.
func (m *Model) Image() []float64 { return m.image }

// Loss returns the scalar loss.
func (m *Model) Loss() float64 { return m.lossSum }

// OmegaSum returns C's sum of subpixel solid angles (steradians times steps).
func (m *Model) OmegaSum() float64 { return m.Kernel.OmegaSum() }

// Gradient returns dLoss/dparameter for every parameter (SI units).
func (m *Model) Gradient() (map[string]float64, error) {
	if !m.opts.Gradient || !m.ran {
		return nil, fmt.Errorf("graph: gradient not available: the model was built without it or has not run")
	}
	out := map[string]float64{}
	for i, n := range m.Exp.Params.names {
		out[n] = m.gradTheta[i]
	}
	return out, nil
}

// GradientF returns dLoss/dF for every entry of the dense structure-factor table.
func (m *Model) GradientF() ([]float64, error) {
	if !m.opts.Gradient || !m.ran {
		return nil, fmt.Errorf("graph: gradient not available: the model was built without it or has not run")
	}
	return append([]float64(nil), m.gradF...), nil
}

// TraceValues are the per-pixel quantities C prints after the loop, and
// the last subpath's values that nanoBragg's -printout reports.
type TraceValues struct {
	I, Omega, Polar, Capture float64
	Incident, Diffracted     [3]float64
	Position                 [3]float64 // last subpixel, metres
	Stol                     float64    // sin(theta)/lambda of the last source, 1/m
	HKL                      [3]float64 // fractional Miller indices of the last term
	HKL0                     [3]int     // nearest integers
	FCell, FLatt             float64    // of the last term
	Lattice                  [9]float64 // a, b, c of the last term, metres
}

// Trace re-evaluates pixel (slow, fast) serially with the inputs of the last
// run, writing C's per-subpath trace lines as "TRACE_GO:" lines to w (nil:
// only the returned values).
func (m *Model) Trace(w io.Writer, slow, fast int, phiDeg []float64) (TraceValues, error) {
	if !m.ran {
		return TraceValues{}, fmt.Errorf("graph: trace before run")
	}
	k := m.Kernel
	if k.Panels != nil {
		return TraceValues{}, fmt.Errorf("graph: the trace follows a pixel of a single-panel detector")
	}
	if fast < 0 || fast >= k.FPixels || slow < 0 || slow >= k.SPixels {
		return TraceValues{}, fmt.Errorf("trace pixel (%d, %d) is outside the %dx%d detector", slow, fast, k.SPixels, k.FPixels)
	}
	in := m.kernelInputs()
	tr := &tracer{w: w, phiDeg: phiDeg, carried: m.carried, cparity: k.Quirks.CarryOver}
	p := slow*k.FPixels + fast
	r := k.pixel(new(pixelState), &in, fast, slow, p == k.first, k.cut, tr)
	h := tr.lastHKL
	return TraceValues{I: r.I, Omega: r.omega, Polar: r.polar, Capture: r.capture, Incident: r.lastInc, Diffracted: r.lastD,
		Position: tr.pos, Stol: tr.lastStol, HKL: [3]float64{h.h, h.k, h.l}, HKL0: [3]int{int(h.h0), int(h.k0), int(h.l0)},
		FCell: tr.lastFCell, FLatt: tr.lastFLatt, Lattice: tr.lastLattice}, nil
}

// kernelInputs are the kernel's inputs of the last run, laid out as the
// kernel's forward pass reads them (the SIMD sums' field-by-field lattice too).
func (m *Model) kernelInputs() inputs {
	return m.Kernel.split([][]float64{values(m.vLat), values(m.vRecip), values(m.vDet),
		values(m.vSrc), values(m.vScal), values(m.vF)})
}

// SetF replaces the dense structure factors (Experiment.F, same length)
// for the next Run, in the model and in its Experiment: a fit of the
// amplitudes evaluates the compiled graph without rebuilding it.
func (m *Model) SetF(f []float64) error {
	if len(f) != len(m.Exp.F) {
		return fmt.Errorf("graph: %d structure factors for a table of %d", len(f), len(m.Exp.F))
	}
	if err := checkFinite("structure factors", f); err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	copy(m.Exp.F, f)
	if err := G.Let(m.fNode, newVector(append([]float64(nil), f...))); err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	m.ran = false
	return nil
}

// SetParams replaces every parameter value (packed order, graph units)
// for the next Run, in the model and in its Experiment, so that a fit
// evaluates the compiled graph at new parameters without rebuilding it.
func (m *Model) SetParams(values []float64) error {
	if len(values) != m.Exp.Params.Len() {
		return fmt.Errorf("graph: %d parameter values for %d parameters", len(values), m.Exp.Params.Len())
	}
	if err := checkFinite("parameters", values); err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	copy(m.Exp.Params.values, values)
	if err := G.Let(m.theta, newVector(append([]float64(nil), values...))); err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	m.ran = false
	return nil
}
