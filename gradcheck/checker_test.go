package gradcheck_test

import (
	"math"
	"strings"
	"testing"

	"gobragg/gradcheck"
)

// toy is an image model with a known gradient: pixel i is
// bg + a*sin(x*a)*exp(y*b) + q32(q)*a with a = 1 + i%5, b = 1 + i%2,
// where q32 rounds q to float32 (like nanoBragg's mosaic spread) and z is
// unused; with signal > 0 only the first signal pixels have more than bg.
// Bugs can be injected into the analytic derivative of single pixels.
type toy struct {
	slow, fast int
	signal     int
	v          map[string]float64
	bg         float64
	bug        map[[2]int]float64 // (pixel, parameter index) -> added to the derivative
	// sumOffset breaks the loss's linearity in the image.
	sumOffset float64
}

var toyNames = []string{"x", "y", "q", "z"}

func newToy() *toy {
	return &toy{slow: 2, fast: 3, v: map[string]float64{"x": 0.7, "y": -0.3, "q": 0.011, "z": 2}, bug: map[[2]int]float64{}}
}

func (m *toy) Names() []string                { return append([]string(nil), toyNames...) }
func (m *toy) Value(n string) float64         { return m.v[n] }
func (m *toy) SetValue(n string, v float64)   { m.v[n] = v }
func (m *toy) ImageSize() (slow, fast int)    { return m.slow, m.fast }
func (m *toy) LossWeights() ([]float64, bool) { return nil, true }

func (m *toy) Image() ([]float64, error) {
	img := make([]float64, m.slow*m.fast)
	for i := range img {
		a, b := float64(i%5+1), float64(i%2+1)
		img[i] = m.bg
		if m.signal == 0 || i < m.signal {
			img[i] += a*math.Sin(m.v["x"]*a)*math.Exp(m.v["y"]*b) + float64(float32(m.v["q"]))*a
		}
	}
	return img, nil
}

func (m *toy) Loss() (float64, error) {
	img, _ := m.Image()
	s := m.sumOffset
	for _, x := range img {
		s += x
	}
	return s, nil
}

// pixelGrad returns d image[i] / d every parameter, bugs included.
func (m *toy) pixelGrad(i int) []float64 {
	a, b := float64(i%5+1), float64(i%2+1)
	if m.signal > 0 && i >= m.signal {
		a = 0
	}
	g := []float64{
		a * a * math.Cos(m.v["x"]*a) * math.Exp(m.v["y"]*b),
		a * math.Sin(m.v["x"]*a) * b * math.Exp(m.v["y"]*b),
		a,
		0,
	}
	for k := range g {
		g[k] += m.bug[[2]int{i, k}]
	}
	return g
}

func (m *toy) WeightedGradient(w []float64) (map[string]float64, error) {
	out := map[string]float64{}
	for i, wi := range w {
		for k, g := range m.pixelGrad(i) {
			out[toyNames[k]] += wi * g
		}
	}
	return out, nil
}

func (m *toy) Gradient() (float64, map[string]float64, error) {
	l, _ := m.Loss()
	w := make([]float64, m.slow*m.fast)
	for i := range w {
		w[i] = 1
	}
	g, _ := m.WeightedGradient(w)
	return l, g, nil
}

var _ gradcheck.LinearTarget = (*toy)(nil)

// plain hides the image of a toy: Check must difference the loss.
type plain struct{ m *toy }

func (p plain) Names() []string                                { return p.m.Names() }
func (p plain) Value(n string) float64                         { return p.m.Value(n) }
func (p plain) SetValue(n string, v float64)                   { p.m.SetValue(n, v) }
func (p plain) Loss() (float64, error)                         { return p.m.Loss() }
func (p plain) Gradient() (float64, map[string]float64, error) { return p.m.Gradient() }
func (p plain) Image() ([]float64, error)                      { return nil, nil }

func TestCheckToy(t *testing.T) {
	for _, c := range []struct {
		name     string
		bug      map[[2]int]float64
		bg       float64
		target   func(*toy) gradcheck.Target
		settings gradcheck.Settings
		fail     []string // parameters that must fail
		worst    map[string][2]int
	}{
		{name: "correct", bg: 1e9},
		{name: "correct without image", bg: 0, target: func(m *toy) gradcheck.Target { return plain{m} }},
		// A wrong derivative of pixel (1, 1) fails x and is named.
		{name: "pixel bug", bg: 1e9, bug: map[[2]int]float64{{4, 0}: 0.05}, fail: []string{"x"}, worst: map[string][2]int{"x": {1, 1}}},
		// Errors that cancel in the sum pass the loss check but show in
		// the worst pixel; PixelRelTol turns that into a failure.
		{name: "cancelling bug", bg: 1e9, bug: map[[2]int]float64{{2, 1}: 0.01, {5, 1}: -0.01},
			settings: gradcheck.Settings{PixelRelTol: 1e-4}, fail: []string{"y"}},
		// A derivative that should be 0 is held to the absolute floor.
		{name: "zero derivative bug", bug: map[[2]int]float64{{0, 3}: 1e-6}, fail: []string{"z"}},
		// q is rounded to float32: small steps only see the staircase.
		{name: "quantised, small steps", bg: 1e9, settings: gradcheck.Settings{ParamSteps: map[string][]float64{"q": {1e-7, 1e-8}}}, fail: []string{"q"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newToy()
			m.bg = c.bg
			for k, v := range c.bug {
				m.bug[k] = v
			}
			var target gradcheck.Target = m
			if c.target != nil {
				target = c.target(m)
			}
			before := map[string]float64{}
			for k, v := range m.v {
				before[k] = v
			}
			rep, err := gradcheck.Check(target, nil, c.settings)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range before {
				if m.v[k] != v {
					t.Errorf("%s not restored: %g, was %g", k, m.v[k], v)
				}
			}
			wantFail := map[string]bool{}
			for _, n := range c.fail {
				wantFail[n] = true
			}
			for _, r := range rep.Results {
				if r.Pass == wantFail[r.Name] {
					t.Errorf("%s: pass %v, want %v: analytic %.9e numeric %.9e rel %.1e", r.Name, r.Pass, !wantFail[r.Name], r.Analytic, r.Numeric, r.RelErr)
				}
				if w, ok := c.worst[r.Name]; ok && (r.Worst == nil || r.Worst.Slow != w[0] || r.Worst.Fast != w[1]) {
					t.Errorf("%s: worst pixel %+v, want (slow %d, fast %d)", r.Name, r.Worst, w[0], w[1])
				}
			}
			if t.Failed() {
				t.Logf("\n%s", rep)
			}
		})
	}
}

// TestCheckBackgroundCancellation shows why linear targets are differenced
// pixel by pixel: with 400 pixels of background and the signal in one, the
// loss is 400 times the signal pixel and rounds the signal's change 400
// times more coarsely.
func TestCheckBackgroundCancellation(t *testing.T) {
	m := newToy()
	m.slow, m.fast, m.signal, m.bg = 20, 20, 1, 1e9
	// The derivative is far from zero: no absolute floor.
	set := gradcheck.Settings{AbsTol: 1e-300}
	linear, err := gradcheck.Check(m, []string{"y"}, set)
	if err != nil {
		t.Fatal(err)
	}
	summed, err := gradcheck.Check(plain{m}, []string{"y"}, set)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("relative error: pixel-wise %.1e, summed %.1e", linear.Results[0].RelErr, summed.Results[0].RelErr)
	if !linear.Passed() || summed.Passed() {
		t.Errorf("want the pixel-wise difference to pass and the loss difference to fail:\n%s\n%s", linear, summed)
	}
}

func TestCheckErrors(t *testing.T) {
	m := newToy()
	if _, err := gradcheck.Check(m, []string{"x", "w"}, gradcheck.Settings{}); err == nil || !strings.Contains(err.Error(), `"w"`) {
		t.Errorf("unknown parameter: error %v, want one naming \"w\"", err)
	}
	m.sumOffset = 1
	if _, err := gradcheck.Check(m, nil, gradcheck.Settings{}); err == nil || !strings.Contains(err.Error(), "weighted sum") {
		t.Errorf("loss not linear in the image: error %v", err)
	}
	m.sumOffset = 0
	m.v["x"] = 1e300
	if _, err := gradcheck.Check(m, []string{"x"}, gradcheck.Settings{Steps: []float64{1e-20}, ParamSteps: map[string][]float64{}}); err == nil || !strings.Contains(err.Error(), "resolution") {
		t.Errorf("steps below the value's resolution: error %v", err)
	}
}

func TestReportString(t *testing.T) {
	m := newToy()
	m.bug[[2]int{4, 0}] = 0.05
	rep, err := gradcheck.Check(m, []string{"x", "z"}, gradcheck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.String()
	for _, want := range []string{"parameter", "x ", "FAIL", "(1,1)", "z ", "ok"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	if e, name := rep.MaxRelErr(); name != "x" || e <= gradcheck.DefaultRelTol {
		t.Errorf("MaxRelErr = %g, %q; want x's error", e, name)
	}
}
