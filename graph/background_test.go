package graph_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/graph"
)

// TestPixelBackground: a per-pixel background of one value gives the loss
// of the background parameter of that value, bit for bit; its gradient per
// pixel sums to d loss / d background and agrees with central differences.
func TestPixelBackground(t *testing.T) {
	exp := smallExperiment(t, "32")
	npix := 32 * 32
	m0, err := graph.Build(exp, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := m0.Run(); err != nil {
		t.Fatal(err)
	}
	img := m0.Image()
	m0.Close()
	src := rand.NewPCG(1, 2)
	data := make([]float64, npix)
	for i, v := range img {
		data[i] = distuv.Poisson{Lambda: v + 0.7, Src: src}.Rand()
	}
	const b0 = 0.5
	exp.Params.Set(graph.PBackground, b0)
	withParam, err := graph.Build(exp, graph.Options{Gradient: true, Loss: graph.LossPoisson, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	defer withParam.Close()
	if err := withParam.Run(); err != nil {
		t.Fatal(err)
	}
	exp.Params.Set(graph.PBackground, 0)
	b := make([]float64, npix)
	for i := range b {
		b[i] = b0
	}
	m, err := graph.Build(exp, graph.Options{Gradient: true, Loss: graph.LossPoisson, Data: data, Background: b})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	if m.Loss() != withParam.Loss() {
		t.Errorf("loss %v with a per-pixel background of %g, %v with the parameter", m.Loss(), b0, withParam.Loss())
	}
	gb, err := m.GradientBackground()
	if err != nil {
		t.Fatal(err)
	}
	gp, _ := withParam.Gradient()
	sum := 0.0
	for _, g := range gb {
		sum += g
	}
	// The same terms summed in another order.
	if math.Abs(sum-gp[graph.PBackground]) > 1e-9*math.Abs(gp[graph.PBackground]) {
		t.Errorf("per-pixel gradients sum to %v, d loss / d background is %v", sum, gp[graph.PBackground])
	}
	// Central differences of single pixels' backgrounds.
	loss := func(bb []float64) float64 {
		if err := m.SetBackground(bb); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		return m.Loss()
	}
	for _, p := range []int{0, 100, 517, npix - 1} {
		h := 1e-5
		bp := append([]float64(nil), b...)
		bm := append([]float64(nil), b...)
		bp[p] += h
		bm[p] -= h
		fd := (loss(bp) - loss(bm)) / (2 * h)
		// The loss is a sum of 1024 terms near 1e3: rounding limits the
		// difference to about 1e-13/h relative to a term.
		if math.Abs(gb[p]-fd) > 1e-6*math.Max(1, math.Abs(fd)) {
			t.Errorf("pixel %d: d loss / d background = %v, central difference %v", p, gb[p], fd)
		}
	}
	if err := m.SetBackground(b[:10]); err == nil {
		t.Error("a background of 10 pixels for 1024 was taken")
	}
}
