package sim

import (
	"math"
	"strings"
	"testing"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/graph"
)

// panelArgs is a small spec-mode problem whose spots cover the detector:
// oversampled pixels, a thick sensor and mosaic domains, so that every
// per-panel value of the kernel (pixel size, sensor, geometry) matters.
const panelArgs = "-mode spec -cell 50 60 70 90 90 90 -misset 10 20 30 -default_F 100 -N 5 -pixel 0.4 -distance 60 -oversample 2 " +
	"-detector_thick 100 -detector_thicksteps 2 -detector_abs 200 -mosaic 0.3 -mosaic_dom 3 -lambda 1 -detector_rotx 2 -twotheta 3"

// prepareArgs prepares a problem from command-line text.
func prepareArgs(t *testing.T, args string) *Problem {
	t.Helper()
	s, err := config.Parse(strings.Fields(args))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(s, Dirs{NoDump: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// render runs the forward pass of exp (with opts) and returns the image.
func render(t *testing.T, exp *graph.Experiment, opts graph.Options) []float64 {
	t.Helper()
	m, err := graph.Build(exp, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	return append([]float64(nil), m.Image()...)
}

// frameOf is the panel frame of a single-panel problem's detector, its
// origin moved by (df, ds) pixels of pixelM along its axes.
func frameOf(t *testing.T, p *Problem, df, ds int, pixelM float64) graph.PanelFrame {
	t.Helper()
	g, err := p.Exp.Geometry()
	if err != nil {
		t.Fatal(err)
	}
	pix0, f, s := g.Pix0.Values(), g.Fdet.Values(), g.Sdet.Values()
	var o [3]float64
	for i := range o {
		o[i] = pix0[i] + float64(df)*pixelM*f[i] + float64(ds)*pixelM*s[i]
	}
	return graph.PanelFrame{Pix0M: o, Fast: f, Slow: s}
}

// TestMultiPanelRendersEachPanelAsOne: a three-panel detector made of a
// single-panel detector, a window of it, and a detector of other pixels
// renders each panel as the single-panel problem it stands for, in its
// place in the image (panels one after another). The panels' normals and
// close distances are computed anew (fast x slow, pix0 . normal), so the
// images agree to rounding, not bit for bit.
func TestMultiPanelRendersEachPanelAsOne(t *testing.T) {
	a := prepareArgs(t, panelArgs+" -detpixels_f 40 -detpixels_s 32")
	c := prepareArgs(t, panelArgs+" -detpixels_f 16 -detpixels_s 12 -pixel 0.8")
	imgA, imgC := render(t, a.Exp, graph.Options{}), render(t, c.Exp, graph.Options{})
	const px = 0.4e-3
	window := [4]int{10, 20, 7, 12} // fast, slow origin in A's pixels; fast, slow size
	sa := a.Exp.Setup
	sensor := func(s graph.Setup, f, sl int, pixel float64) graph.PanelSetup {
		return graph.PanelSetup{FPixels: f, SPixels: sl, PixelSizeM: pixel, ThickSteps: s.ThickSteps, ThickStepM: s.ThickStepM, DetectorThickM: s.DetectorThickM, MuPerM: s.MuPerM}
	}
	multi := *a.Exp
	multi.Setup.Panels = []graph.PanelSetup{sensor(sa, 40, 32, px), sensor(sa, window[2], window[3], px), sensor(c.Exp.Setup, 16, 12, 0.8e-3)}
	multi.Panels = []graph.PanelFrame{frameOf(t, a, 0, 0, px), frameOf(t, a, window[0], window[1], px), frameOf(t, c, 0, 0, 0.8e-3)}
	img := render(t, &multi, graph.Options{})
	if len(img) != 40*32+7*12+16*12 {
		t.Fatalf("%d pixels, want the three panels'", len(img))
	}
	want := append(append([]float64(nil), imgA...), make([]float64, 7*12)...)
	for s := range 12 {
		for f := range 7 {
			want[40*32+s*7+f] = imgA[(s+window[1])*40+f+window[0]]
		}
	}
	want = append(want, imgC...)
	// Rounding of the recomputed normals moves positions by ~1e-16
	// relative; the steepest spot flanks turn that into far less than
	// 1e-9 of the brightest pixel.
	const tol = 1e-9
	peak := 0.0
	for _, v := range want {
		peak = math.Max(peak, v)
	}
	if !(peak > 0) {
		t.Fatal("nothing diffracts: the test would compare zeros")
	}
	for i := range want {
		if math.Abs(img[i]-want[i]) > tol*peak {
			t.Fatalf("image pixel %d is %g, want %g (peak %g)", i, img[i], want[i], peak)
		}
	}

	// A pixel list across the panels renders the same values, bit for bit.
	list := []int{0, 40*32 - 1, 40 * 32, 40*32 + 5*7 + 3, 40*32 + 7*12, len(img) - 1}
	some := render(t, &multi, graph.Options{Pixels: list})
	for j, d := range list {
		if math.Float64bits(some[j]) != math.Float64bits(img[d]) {
			t.Errorf("listed pixel %d is %g, %g in the whole image", d, some[j], img[d])
		}
	}
}

// TestPanelMotionsMoveTheirPanels: a group's dist moves every panel of the
// group along the group's normal, a panel's rot_normal turns the panel
// about its origin in its plane, and the images agree with those of the
// frames moved by hand (rounding only: the motions are composed in the
// graph, the frames here).
func TestPanelMotionsMoveTheirPanels(t *testing.T) {
	l, err := expt.ReadFile("../expt/testdata/cspad64.expt")
	if err != nil {
		t.Fatal(err)
	}
	e, err := l.Single("cspad64.expt")
	if err != nil {
		t.Fatal(err)
	}
	base := "-mode spec -cell 50 60 70 90 90 90 -misset 10 20 30 -default_F 100 -N 5 -lambda 1 -water 5 -detpixels 8"
	prepared := func() *Problem {
		p := prepareArgs(t, base)
		if err := p.UsePanels(e); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const (
		distM = 1e-3 // group1 (quadrant 0) 1 mm further away
		turn  = 0.3  // panel 5 turned by 0.3 rad about its normal
		tol   = 1e-9 // of the brightest pixel: rounding of the moved frames
		quad0 = 16   // panels 0..15 are quadrant 0
	)
	moved := prepared()
	moved.Exp.Params.Set(graph.GroupParam(1, "dist"), distM)
	moved.Exp.Params.Set(graph.PanelParam(5, "rot_normal"), turn)
	byHand := prepared()
	frames := byHand.Exp.Panels
	root := byHand.Exp.PanelTree.Frame
	n := cross(root.Fast, root.Slow)
	for i := range quad0 {
		for k := range 3 {
			frames[i].Pix0M[k] += distM * n[k]
		}
	}
	p5 := &frames[5]
	pn := cross(p5.Fast, p5.Slow)
	p5.Fast, p5.Slow = rotate(p5.Fast, pn, turn), rotate(p5.Slow, pn, turn)
	want, got := render(t, byHand.Exp, graph.Options{}), render(t, moved.Exp, graph.Options{})
	still := render(t, prepared().Exp, graph.Options{})
	peak, changed := 0.0, 0
	for i := range want {
		peak = math.Max(peak, want[i])
		if want[i] != still[i] {
			changed++
		}
	}
	if changed < 10*120 {
		t.Fatalf("only %d pixels moved: the motions would not be tested", changed)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*peak {
			t.Fatalf("pixel %d (panel %d): %g with the parameters, %g with the frames moved by hand", i, i/120, got[i], want[i])
		}
	}
}

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// rotate turns v by angle (radians) about the unit axis (Rodrigues).
func rotate(v, axis [3]float64, angle float64) [3]float64 {
	s, c := math.Sincos(angle)
	kx := cross(axis, v)
	kd := axis[0]*v[0] + axis[1]*v[1] + axis[2]*v[2]
	var out [3]float64
	for i := range out {
		out[i] = v[i]*c + kx[i]*s + axis[i]*kd*(1-c)
	}
	return out
}
