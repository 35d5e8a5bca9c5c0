package main

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
	G "gorgonia.org/gorgonia"

	"gobragg/graph"
)

// Weights of the regularisers, relative to the normalised data term.
const (
	smoothWeight = 1e-3 // on the squared differences of neighbouring pixels
	priorWeight  = 1e-4 // on the squared change of each F from its start
)

// lossModel is a graph: F and theta -> image -> a loss of the user's own,
//
//	sum (image - target)^2 / sum target^2               (data)
//	+ smoothWeight sum (image[i+1] - image[i])^2 / sum target^2
//	+ priorWeight sum (F - F0)^2                         (prior on F)
type lossModel struct {
	*program
	F, theta, target, F0 *G.Node
	image                *G.Node
	data, smooth, prior  *G.Node
	norm                 *G.Node // 1 / sum target^2
}

func newLossModel(exp *graph.Experiment) (*lossModel, error) {
	g := G.NewGraph()
	m := &lossModel{}
	m.F = input(g, "F", exp.F, len(exp.F))
	m.F0 = input(g, "F0", exp.F, len(exp.F))
	m.theta = input(g, "theta", exp.Params.Values(), exp.Params.Len())
	sm, err := graph.Simulate(g, m.theta, m.F, exp, graph.SimulateOptions{})
	if err != nil {
		return nil, err
	}
	n := sm.SpanLen()
	m.image = sm.Image
	m.target = input(g, "target", make([]float64, n), n)
	m.norm = G.NewScalar(g, G.Float64, G.WithName("norm"), G.WithValue(1.0))
	var b builder
	m.data = b.must(G.Mul(b.must(G.Sum(b.must(G.Square(b.must(G.Sub(m.image, m.target)))))), m.norm))
	right := b.must(G.Slice(m.image, G.S(1, n)))
	left := b.must(G.Slice(m.image, G.S(0, n-1)))
	m.smooth = b.must(G.Mul(b.must(G.Sum(b.must(G.Square(b.must(G.Sub(right, left)))))), m.norm))
	m.prior = b.must(G.Sum(b.must(G.Square(b.must(G.Sub(m.F, m.F0))))))
	loss := b.must(G.Add(m.data, b.must(G.Add(b.must(G.Mul(m.smooth, G.NewConstant(smoothWeight, G.In(g)))),
		b.must(G.Mul(m.prior, G.NewConstant(priorWeight, G.In(g))))))))
	if b.err != nil {
		return nil, b.err
	}
	if m.program, err = compile(g, loss, []*G.Node{m.F, m.theta}, []*G.Node{m.image, m.data, m.smooth, m.prior}); err != nil {
		return nil, err
	}
	return m, nil
}

// setTarget makes img the target and normalises the data terms by it.
func (m *lossModel) setTarget(img []float64) error {
	if err := set(m.target, img); err != nil {
		return err
	}
	return G.Let(m.norm, 1/floats.Dot(img, img))
}

// trueF is the structure factor table the target is rendered with: the
// starting table (every F = 1) times a fixed irregular factor in 0.5..1.5.
func trueF(start []float64) []float64 {
	out := make([]float64, len(start))
	for i, f := range start {
		out[i] = f * (1 + 0.5*math.Cos(float64(13*i+5)))
	}
	return out
}

// lossExample renders a target with other structure factors, then fits F
// to it through the simulator under the custom loss.
func lossExample(out io.Writer) error {
	exp, err := experiment()
	if err != nil {
		return err
	}
	m, err := newLossModel(exp)
	if err != nil {
		return err
	}
	defer m.close()
	if err := set(m.F, trueF(exp.F)); err != nil {
		return err
	}
	if _, err := m.run(); err != nil {
		return err
	}
	if err := m.setTarget(m.value(m.image)); err != nil {
		return err
	}
	eval := func(F, gradF []float64) (float64, error) {
		if err := set(m.F, F); err != nil {
			return 0, err
		}
		l, err := m.run()
		if err == nil && gradF != nil {
			var g []float64
			g, err = grad(m.F)
			copy(gradF, g)
		}
		return l, err
	}
	l0, err := eval(exp.F, nil)
	if err != nil {
		return err
	}
	terms := func() string {
		return fmt.Sprintf("data %.4g, smoothness %.4g, prior %.4g", m.value(m.data)[0], m.value(m.smooth)[0], m.value(m.prior)[0])
	}
	fmt.Fprintf(out, "start: loss %.6g (%s)\n", l0, terms())
	gTheta, err := grad(m.theta)
	if err != nil {
		return err
	}
	for _, name := range []string{graph.PDistance, graph.PMissetX, graph.PCellA} {
		fmt.Fprintf(out, "  dloss/d%s = %.6g (graph units)\n", name, gTheta[exp.Params.Index(name)])
	}
	res, err := minimize(eval, exp.F, optimize.Settings{MajorIterations: 1000})
	if err != nil {
		return err
	}
	if _, err := eval(res.X, nil); err != nil {
		return err
	}
	fmt.Fprintf(out, "fitted F (%d values) in %d L-BFGS iterations (%s): loss %.6g (%s)\n", len(res.X),
		res.Stats.MajorIterations, res.Status, res.F, terms())
	return nil
}
