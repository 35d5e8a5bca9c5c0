package graph_test

import (
	"testing"

	"gobragg/graph"
)

// TestLossCotangent: the graph carries a Loss's cotangent back unchanged:
// the squared error's gradient is that of the weighted sum with weights
// 2 (image - target), its cotangent, bit for bit; a loss of another size
// than the image is refused.
func TestLossCotangent(t *testing.T) {
	exp := smallExperiment(t, "16")
	run := func(l graph.Loss) (*graph.Model, map[string]float64, []float64) {
		t.Helper()
		m, err := graph.Build(exp, graph.Options{Gradient: true, Loss: l})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(m.Close)
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		g, _ := m.Gradient()
		gf, _ := m.GradientF()
		return m, g, gf
	}
	m, _, _ := run(nil)
	img := m.Image()
	target := make([]float64, len(img))
	w := make([]float64, len(img))
	for i, v := range img {
		target[i] = 0.9 * v
		w[i] = 2 * (v - target[i])
	}
	_, gs, gfs := run(graph.Squared(target))
	_, gw, gfw := run(graph.Weighted(w))
	for n, v := range gs {
		if gw[n] != v {
			t.Errorf("d/d%s: squared error %v, weighted by its cotangent %v", n, v, gw[n])
		}
	}
	for i, v := range gfs {
		if gfw[i] != v {
			t.Errorf("d/dF[%d]: squared error %v, weighted by its cotangent %v", i, v, gfw[i])
		}
	}
	if _, err := graph.Build(exp, graph.Options{Loss: graph.Weighted(w[:10])}); err == nil {
		t.Errorf("a loss of 10 pixels for an image of %d was built", len(img))
	}
}
