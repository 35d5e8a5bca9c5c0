package sim

import (
	"fmt"
	"io"
	"math"

	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/physics"
	"gobragg/raster"
)

// Result is a rendered image with nanoBragg's statistics.
type Result struct {
	Image    []float64 // photons per pixel, float64 as computed
	Float32  []float32 // the float image as written (C keeps float)
	Stats    imageio.Stats
	MaxFdetM float64 // C's max_I position: the last subpixel of the brightest pixel
	MaxSdetM float64
	OmegaSum float64
	Model    *graph.Model
	tracedI  float64 // the traced pixel's float64 value when Image is nil
}

// pixelI returns pixel idx's float64 value (the traced one when the
// float64 image was not kept).
func (r *Result) pixelI(idx int) float64 {
	if r.Image != nil {
		return r.Image[idx]
	}
	return r.tracedI
}

// Render builds and runs the forward graph.
func (p *Problem) Render() (*Result, error) {
	m, err := graph.Build(p.Exp, graph.Options{})
	if err != nil {
		return nil, err
	}
	if err := m.Run(); err != nil {
		m.Close()
		return nil, err
	}
	img := m.Image()
	f32 := make([]float32, len(img))
	for i, v := range img {
		f32[i] = float32(v)
	}
	r := p.result(m, f32)
	r.Image = img
	return r, nil
}

// keepFloat64Pixels is the largest image whose float64 values
// renderFloat32 keeps as well (8 MB): only larger frames need the saving.
const keepFloat64Pixels = 1 << 20

// renderFloat32 is Render without the float64 image for frames above
// keepFloat64Pixels (Result.Image is nil there): spans go straight to
// float32, which halves the memory of a large frame. The float64 value of
// pixel keep (-1: none) is kept for the trace.
func (p *Problem) renderFloat32(keep int) (*Result, error) {
	m, err := graph.Build(p.Exp, graph.Options{})
	if err != nil {
		return nil, err
	}
	npix := m.Kernel.NPix()
	f32 := make([]float32, npix)
	var img64 []float64
	if npix <= keepFloat64Pixels {
		img64 = make([]float64, npix)
	}
	var kept float64
	err = m.RunSpans(func(start int, img []float64) {
		for i, v := range img {
			f32[start+i] = float32(v)
		}
		if img64 != nil {
			copy(img64[start:], img)
		}
		if keep >= start && keep < start+len(img) {
			kept = img[keep-start]
		}
	})
	if err != nil {
		m.Close()
		return nil, err
	}
	r := p.result(m, f32)
	r.Image = img64
	r.tracedI = kept
	return r, nil
}

// floatImage is f32, the float image of a single-panel run (photons per
// pixel), with the detector's size and the -roi window.
func (p *Problem) floatImage(f32 []float32) raster.Image[float32] {
	s := p.Settings
	return raster.Image[float32]{Pix: f32, Fast: s.FPixels, Slow: s.SPixels, ROI: s.ROI()}
}

func (p *Problem) result(m *graph.Model, f32 []float32) *Result {
	s := p.Settings
	if p.Exp.Setup.Panels != nil {
		// The panels one after another, as one row: no position on a panel.
		st := imageio.ImageStats(raster.Whole(f32, len(f32), 1), nil)
		return &Result{Float32: f32, Stats: st, OmegaSum: m.OmegaSum(), Model: m}
	}
	st := imageio.ImageStats(p.floatImage(f32), s.Mask)
	r := &Result{Float32: f32, Stats: st, OmegaSum: m.OmegaSum(), Model: m}
	if st.MaxIndex >= 0 {
		os := p.Oversample
		sub := s.PixelSize / float64(os)
		fp, sp := st.MaxIndex%s.FPixels, st.MaxIndex/s.FPixels
		r.MaxFdetM = sub*float64(fp*os+os-1) + sub/2.0
		r.MaxSdetM = sub*float64(sp*os+os-1) + sub/2.0
	}
	return r
}

// Simulate runs the whole program: prints nanoBragg's log to out, renders,
// traces the requested pixel and writes every output file.
func (p *Problem) Simulate(out io.Writer) error {
	_, err := p.simulate(out)
	return err
}

// simulate is Simulate that also returns the render (its model closed).
func (p *Problem) simulate(out io.Writer) (*Result, error) {
	res, err := p.simulateOpen(out)
	if res != nil {
		res.Model.Close()
	}
	return res, err
}

func (p *Problem) simulateOpen(out io.Writer) (*Result, error) {
	s := p.Settings
	for _, l := range p.Log {
		fmt.Fprintln(out, l)
	}
	flushLog(out)
	meter := p.renderMeter(out)
	if meter != nil {
		p.Exp.Setup.Progress = meter.Update
	}
	traced := -1
	if s.TracePixel[0] >= 0 && s.TracePixel[1] >= 0 && s.TracePixel[0] < s.SPixels && s.TracePixel[1] < s.FPixels {
		traced = s.TracePixel[0]*s.FPixels + s.TracePixel[1]
	}
	res, err := p.renderFloat32(traced)
	p.Exp.Setup.Progress = nil
	if err != nil {
		return nil, err
	}
	meter.Finish()
	if s.TracePixel[0] >= 0 && s.TracePixel[1] >= 0 {
		if err := p.trace(out, res, s.TracePixel[0], s.TracePixel[1]); err != nil {
			return res, err
		}
	}
	if s.Printout {
		if err := p.printout(out, res); err != nil {
			return res, err
		}
	}
	steps := p.Exp.Steps
	fmt.Fprintln(out)
	fmt.Fprintf(out, "solid angle subtended by detector = %s steradian ( %s%% sphere)\n",
		fg(res.OmegaSum/steps), fg(100*res.OmegaSum/steps/4/math.Pi))
	flushLog(out)
	return res, p.WriteOutputs(out, res)
}

// trace prints the TRACE_GO lines of one pixel.
func (p *Problem) trace(out io.Writer, res *Result, slow, fast int) error {
	s := p.Settings
	fmt.Fprintf(out, "TRACE_CONFIG: tracing pixel (spixel=%d, fpixel=%d)\n", slow, fast)
	phis := p.Exp.PhiAngles()
	for t := range phis {
		phis[t] *= rtd
	}
	tv, err := res.Model.Trace(out, slow, fast, phis)
	if err != nil {
		return err
	}
	fluence, _ := p.Exp.Params.Get(graph.PFluence)
	idx := slow*s.FPixels + fast
	g := func(name string, v float64) { fmt.Fprintf(out, "TRACE_GO: %s %s\n", name, imageio.FormatGPrec(v, 15)) }
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	g("I_before_scaling", tv.I)
	g("r_e_meters", math.Sqrt(physics.ReSqr))
	g("r_e_sqr", physics.ReSqr)
	g("fluence_photons_per_m2", fluence)
	fmt.Fprintf(out, "TRACE_GO: steps %d\n", int(p.Exp.Steps))
	fmt.Fprintf(out, "TRACE_GO: oversample_thick %d\n", b(s.OversampleThick))
	fmt.Fprintf(out, "TRACE_GO: oversample_polar %d\n", b(s.OversamplePolar))
	fmt.Fprintf(out, "TRACE_GO: oversample_omega %d\n", b(s.OversampleOmega))
	g("capture_fraction", tv.Capture)
	g("polar", tv.Polar)
	g("omega_pixel", tv.Omega)
	inc, d := tv.Incident, tv.Diffracted
	g("cos_2theta", inc[0]*d[0]+inc[1]*d[1]+inc[2]*d[2])
	g("I_pixel_final", res.pixelI(idx))
	g("floatimage_accumulated", float64(res.Float32[idx]))
	return nil
}
