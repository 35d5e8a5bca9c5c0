package refine_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/graph"
	"gobragg/refine"
)

// smallArgs is a 40x40 detector with a water background, for checks of
// exactness against central differences.
var smallArgs = []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
	"-lambda", "1", "-distance", "100", "-pixel", "0.3", "-detpixels", "40", "-oversample", "2",
	"-misset", "10", "20", "30", "-fluence", "1e28", "-water", "0.05"}

// diffStep is the central-difference step per parameter (graph units):
// small against the scale on which the image changes, large against
// round-off.
var diffStep = map[string]float64{graph.PDistance: 1e-7, graph.PXbeam: 1e-8, graph.PNa: 1e-5,
	graph.PMissetY: 1e-7, graph.PCellC: 1e-5, graph.PScale: 1e-6, graph.PBackground: 1e-5, graph.PWater: 1e-11}

// TestDataLossGradients: every data loss's gradient matches central
// differences of the loss.
func TestDataLossGradients(t *testing.T) {
	for _, args := range [][]string{smallArgs, weightedArgs(t)} {
		dataLossGradients(t, args)
	}
}

// weightedArgs is smallArgs lit by three weighted sources (spec mode
// honours the weights), for the weighted kernel's exactness.
func weightedArgs(t *testing.T) []string {
	path := filepath.Join(t.TempDir(), "sources.txt")
	lines := "-10 0 0 1 1.0e-10\n-10 0.02 0 0.5 1.03e-10\n-10 0 -0.015 2 0.97e-10\n"
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	return append(append([]string(nil), smallArgs...), "-sourcefile", path)
}

func dataLossGradients(t *testing.T, args []string) {
	p := prepare(t, args...)
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	counts := noisy(img, 1.1, 0.5, 3)
	exp := p.Exp
	exp.Params.Set(graph.PScale, 0.9)
	exp.Params.Set(graph.PBackground, 0.7)
	for _, like := range []refine.Likelihood{refine.Poisson{}, refine.Gaussian{Readout: 1.5}, refine.LSQ{}} {
		opts := graph.Options{Gradient: true, Loss: refine.NewDataLoss(like, counts, exp.Params)}
		eval := func() (float64, map[string]float64) {
			m, err := graph.Build(exp, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if err := m.Run(); err != nil {
				t.Fatal(err)
			}
			g, _ := m.Gradient()
			return m.Loss(), g
		}
		_, grad := eval()
		for name, h := range diffStep {
			v, _ := exp.Params.Get(name)
			exp.Params.Set(name, v+h)
			lp, _ := eval()
			exp.Params.Set(name, v-h)
			lm, _ := eval()
			exp.Params.Set(name, v)
			fd := (lp - lm) / (2 * h)
			// Central differences of a loss of ~1e4 carry ~1e-6 relative error.
			if rel := math.Abs(fd-grad[name]) / math.Max(math.Abs(fd), 1e-300); !(rel < 1e-4) {
				t.Errorf("%s loss: dL/d%s = %.10g, central difference %.10g (relative %.2g)", like.Name(), name, grad[name], fd, rel)
			}
		}
	}
}

// TestJacobianExact: Model.Jacobian's columns match central differences
// of the image, pixel by pixel, also on a pixel list.
func TestJacobianExact(t *testing.T) {
	for _, args := range [][]string{smallArgs, weightedArgs(t)} {
		jacobianExact(t, args)
	}
}

func jacobianExact(t *testing.T, args []string) {
	p := prepare(t, args...)
	exp := p.Exp
	names := []string{graph.PDistance, graph.PXbeam, graph.PNa, graph.PMissetY, graph.PCellC, graph.PWater, graph.PFluence}
	var cols []int
	for _, n := range names {
		cols = append(cols, exp.Params.Index(n))
	}
	for _, pixels := range [][]int{nil, {0, 17, 400, 401, 820, 1599}} {
		opts := graph.Options{Pixels: pixels}
		render := func() []float64 {
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
		m, err := graph.Build(exp, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		jac, err := m.Jacobian(cols)
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		npix := len(jac) / len(cols)
		for c, name := range names {
			v, _ := exp.Params.Get(name)
			h := diffStep[name]
			if name == graph.PFluence {
				h = v * 1e-6
			}
			exp.Params.Set(name, v+h)
			ip := render()
			exp.Params.Set(name, v-h)
			im := render()
			exp.Params.Set(name, v)
			var worst, norm float64
			for i := 0; i < npix; i++ {
				fd := (ip[i] - im[i]) / (2 * h)
				worst = math.Max(worst, math.Abs(fd-jac[i*len(cols)+c]))
				norm = math.Max(norm, math.Abs(fd))
			}
			// Relative to the largest derivative of the column.
			if !(worst <= 1e-5*norm) || norm == 0 {
				t.Errorf("pixels %v: d image/d %s: largest difference from central differences %.3g of %.3g", pixels, name, worst, norm)
			}
		}
	}
}

// TestEnergyIsLambda: refining the photon energy (eV) or the wavelength
// (Angstrom) of the same frame gives the same fit: E = 12398.42 / lambda,
// sigma_E = sigma_lambda E / lambda.
func TestEnergyIsLambda(t *testing.T) {
	img, err := prepare(t, smallArgs...).Image()
	if err != nil {
		t.Fatal(err)
	}
	counts := noisy(img, 1, 0, 4)
	fit := func(name string) refine.Fitted {
		p := prepare(t, smallArgs...)
		res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "frame", Exp: p.Exp, Counts: counts}},
			Names: []string{name, "distance"}, Likelihood: refine.Poisson{}}, refine.Settings{GradientThreshold: 1e-6}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Parameters[0]
	}
	e, l := fit("energy"), fit("lambda")
	// Both fits stop within 1e-6 standard errors of the optimum.
	if rel := math.Abs(e.Value*l.Value/12398.42 - 1); rel > 1e-7 {
		t.Errorf("E = %.10g eV, lambda = %.10g A: E lambda / 12398.42 - 1 = %.2g", e.Value, l.Value, rel)
	}
	if rel := math.Abs(e.Sigma/(l.Sigma*e.Value/l.Value) - 1); rel > 1e-4 {
		t.Errorf("sigma_E %g, sigma_lambda E/lambda %g", e.Sigma, l.Sigma*e.Value/l.Value)
	}
	if _, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "frame", Exp: prepare(t, smallArgs...).Exp, Counts: counts}},
		Names: []string{"energy", "wave"}, Likelihood: refine.Poisson{}}, refine.Settings{}, nil); err == nil ||
		!strings.Contains(err.Error(), "wave and energy are the same parameter") {
		t.Errorf("energy and wave together: %v", err)
	}
}
