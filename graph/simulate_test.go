package graph_test

import (
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

func smallExperiment(t *testing.T, pixels string) *graph.Experiment {
	t.Helper()
	s, err := config.Parse([]string{"-cell", "20", "20", "20", "90", "90", "90", "-default_F", "10", "-N", "5",
		"-detpixels", pixels, "-pixel", "0.5", "-distance", "50", "-oversample", "1", "-misset", "10", "20", "30"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{NoDump: true})
	if err != nil {
		t.Fatal(err)
	}
	return p.Exp
}

func vectorNode(g *G.ExprGraph, name string, v []float64) *G.Node {
	return G.NewVector(g, tensor.Float64, G.WithShape(len(v)), G.WithName(name),
		G.WithValue(tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(append([]float64(nil), v...)))))
}

// TestSimulateSpansMatchBuild renders a detector in streamed spans of a
// caller's graph and checks every pixel against Build's image, bit for bit.
func TestSimulateSpansMatchBuild(t *testing.T) {
	exp := smallExperiment(t, "96") // 9216 pixels: spans of 2048 leave a short last one
	m, err := graph.Build(exp, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		t.Fatal(err)
	}
	want := m.Image()
	g := G.NewGraph()
	sm, err := graph.Simulate(g, vectorNode(g, "theta", exp.Params.Values()), vectorNode(g, "F", exp.F), exp, graph.SimulateOptions{SpanPixels: 2048})
	if err != nil {
		t.Fatal(err)
	}
	var img G.Value
	G.Read(sm.Image, &img)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if sm.Spans() != 5 {
		t.Fatalf("%d spans of 2048 for %d pixels, want 5", sm.Spans(), sm.Pixels())
	}
	for i := range sm.Spans() {
		start, end, err := sm.SetSpan(i)
		if err != nil {
			t.Fatal(err)
		}
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		got := img.Data().([]float64)
		for p := start; p < end; p++ {
			if got[p-start] != want[p] {
				t.Fatalf("pixel %d: span %d gives %g, Build %g", p, i, got[p-start], want[p])
			}
		}
		for p := end - start; p < len(got); p++ {
			if got[p] != 0 {
				t.Fatalf("span %d: value %d past the last pixel is %g, want 0", i, p, got[p])
			}
		}
	}
	if _, _, err := sm.SetSpan(5); err == nil {
		t.Error("SetSpan(5) of 5 spans: no error")
	}
}

func TestSimulateRefusesBadInputs(t *testing.T) {
	exp := smallExperiment(t, "16")
	g := G.NewGraph()
	other := G.NewGraph()
	theta := vectorNode(g, "theta", exp.Params.Values())
	F := vectorNode(g, "F", exp.F)
	for _, tc := range []struct {
		name     string
		theta, F *G.Node
		span     int
		want     string
	}{
		{"short theta", vectorNode(g, "t2", exp.Params.Values()[1:]), F, 0, "theta has shape"},
		{"theta of another graph", vectorNode(other, "t3", exp.Params.Values()), F, 0, "theta is not a node of the graph"},
		{"long F", theta, vectorNode(g, "F2", append(exp.F, 1)), 0, "F has shape"},
		{"no F", theta, nil, 0, "F is not a node"},
		{"odd span", theta, F, 1000, "not a positive multiple"},
	} {
		_, err := graph.Simulate(g, tc.theta, tc.F, exp, graph.SimulateOptions{SpanPixels: tc.span})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
