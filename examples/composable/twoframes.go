package main

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/optimize"
	G "gorgonia.org/gorgonia"

	"gobragg/graph"
)

// frameWidthDeg is the rotation of each of the two frames in degrees.
const frameWidthDeg = 2

// twoFrames is a graph of two rotation frames of one crystal: the first
// frame's parameters theta, the second's theta + (its phi start - the
// first's), one F table, and the summed squared error against both
// frames' targets.
type twoFrames struct {
	*program
	theta    *G.Node
	images   [2]*G.Node
	targets  [2]*G.Node
	base     []float64 // the first frame's parameters
	exp      *graph.Experiment
	freeIdx  []int // the parameters fitted: misset x, y, z
	freeName []string
}

func newTwoFrames() (*twoFrames, error) {
	var exps [2]*graph.Experiment
	for i := range exps {
		var err error
		exps[i], err = experiment("-phi", fmt.Sprint(i*frameWidthDeg), "-osc", fmt.Sprint(frameWidthDeg), "-phisteps", "4")
		if err != nil {
			return nil, err
		}
	}
	g := G.NewGraph()
	m := &twoFrames{exp: exps[0], base: exps[0].Params.Values()}
	m.theta = input(g, "theta", m.base, len(m.base))
	F := input(g, "F", exps[0].F, len(exps[0].F))
	// The second frame differs only in its phi start.
	delta := exps[1].Params.Values()
	for i := range delta {
		delta[i] -= m.base[i]
	}
	var b builder
	thetas := [2]*G.Node{m.theta, b.must(G.Add(m.theta, input(g, "delta", delta, len(delta))))}
	var loss *G.Node
	for i, exp := range exps {
		sm, err := graph.Simulate(g, thetas[i], F, exp, graph.SimulateOptions{})
		if err != nil {
			return nil, err
		}
		m.images[i] = sm.Image
		m.targets[i] = input(g, fmt.Sprintf("target%d", i), make([]float64, sm.SpanLen()), sm.SpanLen())
		sq := b.must(G.Sum(b.must(G.Square(b.must(G.Sub(sm.Image, m.targets[i]))))))
		if loss == nil {
			loss = sq
		} else {
			loss = b.must(G.Add(loss, sq))
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	m.freeName = []string{graph.PMissetX, graph.PMissetY, graph.PMissetZ}
	for _, n := range m.freeName {
		m.freeIdx = append(m.freeIdx, exps[0].Params.Index(n))
	}
	var err error
	if m.program, err = compile(g, loss, []*G.Node{m.theta}, m.images[:]); err != nil {
		return nil, err
	}
	return m, nil
}

// evaluate runs both frames with the misset angles x (radians) and returns
// the loss and, in gradOut when not nil, its derivatives by them.
func (m *twoFrames) evaluate(x, gradOut []float64) (float64, error) {
	theta := append([]float64(nil), m.base...)
	for j, i := range m.freeIdx {
		theta[i] = x[j]
	}
	if err := set(m.theta, theta); err != nil {
		return 0, err
	}
	l, err := m.run()
	if err != nil || gradOut == nil {
		return l, err
	}
	g, err := grad(m.theta)
	for j, i := range m.freeIdx {
		gradOut[j] = g[i]
	}
	return l, err
}

// twoFramesExample renders both frames with the misset moved by a fixed
// 0.3 degree, then fits the three misset angles to both frames at once.
func twoFramesExample(out io.Writer) error {
	m, err := newTwoFrames()
	if err != nil {
		return err
	}
	defer m.close()
	start := make([]float64, len(m.freeIdx))
	truth := make([]float64, len(m.freeIdx))
	for j, i := range m.freeIdx {
		start[j] = m.base[i]
		truth[j] = m.base[i] + (0.3-0.25*float64(j))*math.Pi/180
	}
	if _, err := m.evaluate(truth, nil); err != nil {
		return err
	}
	for i := range m.targets {
		if err := set(m.targets[i], m.value(m.images[i])); err != nil {
			return err
		}
	}
	l0, _ := m.evaluate(start, nil)
	res, err := minimize(m.evaluate, start, optimize.Settings{MajorIterations: 100})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "loss %.6g at the start, %.6g after %d L-BFGS iterations (%s)\n", l0, res.F, res.Stats.MajorIterations, res.Status)
	for j, n := range m.freeName {
		fmt.Fprintf(out, "  %s: start %.4f, fitted %.6f, true %.6f degrees\n", n, start[j]*180/math.Pi, res.X[j]*180/math.Pi, truth[j]*180/math.Pi)
	}
	return nil
}
