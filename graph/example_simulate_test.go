package graph_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

// ExampleSimulate puts the simulator into a caller's Gorgonia graph,
// differentiates the summed image with Gorgonia's own Grad and checks one
// derivative against the physics: the image is proportional to the
// fluence, so d sum / d fluence = sum / fluence.
func ExampleSimulate() {
	s, err := config.Parse([]string{"-cell", "20", "20", "20", "90", "90", "90", "-default_F", "10", "-N", "5",
		"-detpixels", "16", "-pixel", "1", "-distance", "50", "-oversample", "1", "-fluence", "1e26"})
	if err != nil {
		panic(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{NoDump: true})
	if err != nil {
		panic(err)
	}
	exp := p.Exp
	g := G.NewGraph()
	vector := func(name string, v []float64) *G.Node {
		return G.NewVector(g, tensor.Float64, G.WithShape(len(v)), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(v))))
	}
	theta := vector("theta", exp.Params.Values())
	F := vector("F", exp.F)
	sm, err := graph.Simulate(g, theta, F, exp, graph.SimulateOptions{})
	if err != nil {
		panic(err)
	}
	loss := G.Must(G.Sum(sm.Image))
	var sum G.Value
	G.Read(loss, &sum)
	if _, err := G.Grad(loss, theta, F); err != nil {
		panic(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		panic(err)
	}
	dTheta, _ := theta.Grad()
	fluence, _ := exp.Params.Get(graph.PFluence)
	d := dTheta.Data().([]float64)[exp.Params.Index(graph.PFluence)]
	fmt.Printf("%d pixels in %d span(s)\n", sm.Pixels(), sm.Spans())
	fmt.Printf("d sum / d fluence * fluence / sum = %.9f\n", d*fluence/sum.Data().(float64))
	// Output:
	// 256 pixels in 1 span(s)
	// d sum / d fluence * fluence / sum = 1.000000000
}
