package main

import (
	"fmt"

	"gonum.org/v1/gonum/optimize"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// program is a compiled Gorgonia graph with a scalar loss and the nodes
// it is differentiated with respect to: set inputs, run, read gradients.
type program struct {
	g     *G.ExprGraph
	loss  *G.Node
	vm    G.VM
	reads map[*G.Node]*G.Value
}

// compile adds the backward pass of loss with respect to wrt and compiles
// the graph to a TapeMachine; the values of the nodes in read can be read
// after each run with value.
func compile(g *G.ExprGraph, loss *G.Node, wrt, read []*G.Node) (*program, error) {
	p := &program{g: g, loss: loss, reads: map[*G.Node]*G.Value{}}
	// A TapeMachine reuses the registers of intermediate nodes, so their
	// values are only reliable through Read nodes compiled with the graph.
	for _, n := range append([]*G.Node{loss}, read...) {
		p.reads[n] = new(G.Value)
		G.Read(n, p.reads[n])
	}
	if _, err := G.Grad(loss, wrt...); err != nil {
		return nil, fmt.Errorf("backward pass: %w", err)
	}
	p.vm = G.NewTapeMachine(g)
	return p, nil
}

// value returns a copy of node n's value in the last run (n must be the
// loss or one of the nodes compile was asked to read).
func (p *program) value(n *G.Node) []float64 {
	switch d := (*p.reads[n]).Data().(type) {
	case float64:
		return []float64{d}
	case []float64:
		return append([]float64(nil), d...)
	}
	return nil
}

// run evaluates the graph and its backward pass and returns the loss.
func (p *program) run() (float64, error) {
	p.vm.Reset()
	if err := p.vm.RunAll(); err != nil {
		return 0, err
	}
	return p.value(p.loss)[0], nil
}

// close releases the machine.
func (p *program) close() { p.vm.Close() }

// set gives input node n the values v (its shape is kept).
func set(n *G.Node, v []float64) error {
	return G.Let(n, tensor.New(tensor.WithShape(n.Shape()...), tensor.WithBacking(append([]float64(nil), v...))))
}

// grad returns a copy of n's gradient from the last run.
func grad(n *G.Node) ([]float64, error) {
	g, err := n.Grad()
	if err != nil {
		return nil, err
	}
	return append([]float64(nil), g.Data().([]float64)...), nil
}

// input adds a float64 input node of the given shape holding v.
func input(g *G.ExprGraph, name string, v []float64, shape ...int) *G.Node {
	t := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
	if len(shape) == 1 {
		return G.NewVector(g, tensor.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
	}
	return G.NewMatrix(g, tensor.Float64, G.WithShape(shape...), G.WithName(name), G.WithValue(t))
}

// builder collects the first error of a chain of Gorgonia calls.
type builder struct{ err error }

func (b *builder) must(n *G.Node, err error) *G.Node {
	if err != nil && b.err == nil {
		b.err = err
	}
	return n
}

// minimize runs gonum's L-BFGS on f from x0 for at most maxIter
// iterations: f returns the loss at x and, when grad is not nil, writes its
// gradient there. The first error of f, or a fit that did not stop at a
// minimum, is returned as an error.
func minimize(f func(x, grad []float64) (float64, error), x0 []float64, s optimize.Settings) (*optimize.Result, error) {
	var evalErr error
	keep := func(err error) {
		if err != nil && evalErr == nil {
			evalErr = err
		}
	}
	p := optimize.Problem{
		Func: func(x []float64) float64 { l, err := f(x, nil); keep(err); return l },
		Grad: func(g, x []float64) { _, err := f(x, g); keep(err) },
	}
	res, err := optimize.Minimize(p, x0, &s, &optimize.LBFGS{})
	if evalErr != nil {
		return nil, evalErr
	}
	if res == nil {
		return nil, err
	}
	return res, converged(res)
}

// converged returns an error unless the optimiser stopped at a minimum.
func converged(res *optimize.Result) error {
	switch res.Status {
	case optimize.GradientThreshold, optimize.FunctionConvergence:
		return nil
	}
	return fmt.Errorf("the fit did not converge: %s after %d iterations", res.Status, res.Stats.MajorIterations)
}
