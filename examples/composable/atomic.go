package main

import (
	"fmt"
	"io"
	"math"

	"gonum.org/v1/gonum/optimize"
	G "gorgonia.org/gorgonia"

	"gobragg/graph"
)

// atomF are the atoms' scattering factors in electrons (C, O, S), constant
// with resolution in this toy model.
var atomF = []float64{6, 8, 16}

// truePositions are the atoms' fractional coordinates, one column per
// atom: rows x, y, z.
var truePositions = []float64{
	0.10, 0.25, 0.40,
	0.30, 0.60, 0.05,
	0.70, 0.15, 0.55,
}

// atomicModel is a graph: atom positions -> structure factors
// F(hkl) = |sum_j f_j exp(2 pi i hkl.x_j)| -> simulated image -> squared
// error against a target image.
type atomicModel struct {
	*program
	pos    *G.Node // 3 x atoms, fractional
	image  *G.Node
	target *G.Node
}

// newAtomicModel builds the graph of exp.
func newAtomicModel(exp *graph.Experiment) (*atomicModel, error) {
	g := G.NewGraph()
	nAtoms := len(atomF)
	// The Miller indices of every entry of the dense F table.
	hkl := make([]float64, 3*len(exp.F))
	for i := range exp.F {
		h, k, l, _ := exp.Setup.Grid.HKL(i)
		hkl[3*i], hkl[3*i+1], hkl[3*i+2] = float64(h), float64(k), float64(l)
	}
	hklNode := input(g, "hkl", hkl, len(exp.F), 3)
	pos := input(g, "positions", truePositions, 3, nAtoms)
	f := input(g, "f", atomF, nAtoms)
	var b builder
	phase := b.must(G.Mul(b.must(G.Mul(hklNode, pos)), G.NewConstant(2*math.Pi, G.In(g))))
	re := b.must(G.Mul(b.must(G.Cos(phase)), f))
	im := b.must(G.Mul(b.must(G.Sin(phase)), f))
	// The small constant keeps dF/dx finite where F is 0.
	F := b.must(G.Sqrt(b.must(G.Add(b.must(G.Add(b.must(G.Square(re)), b.must(G.Square(im)))), G.NewConstant(1e-12, G.In(g))))))
	if b.err != nil {
		return nil, b.err
	}
	theta := input(g, "theta", exp.Params.Values(), exp.Params.Len())
	sm, err := graph.Simulate(g, theta, F, exp, graph.SimulateOptions{})
	if err != nil {
		return nil, err
	}
	target := input(g, "target", make([]float64, sm.SpanLen()), sm.SpanLen())
	loss := b.must(G.Sum(b.must(G.Square(b.must(G.Sub(sm.Image, target))))))
	if b.err != nil {
		return nil, b.err
	}
	p, err := compile(g, loss, []*G.Node{pos}, []*G.Node{sm.Image})
	if err != nil {
		return nil, err
	}
	return &atomicModel{program: p, pos: pos, image: sm.Image, target: target}, nil
}

// evaluate runs the graph at positions pos and returns the loss, and its
// gradient with respect to them in grad when grad is not nil.
func (m *atomicModel) evaluate(pos []float64, gradOut []float64) (float64, error) {
	if err := set(m.pos, pos); err != nil {
		return 0, err
	}
	l, err := m.run()
	if err != nil || gradOut == nil {
		return l, err
	}
	g, err := grad(m.pos)
	copy(gradOut, g)
	return l, err
}

// atomicExample renders the target with the true atoms, then fits the
// positions from a start 0.02 cell edges away with L-BFGS through the
// simulator. F does not change when every atom moves by one vector, so
// the fit recovers the structure up to that shift.
func atomicExample(out io.Writer) error {
	exp, err := experiment()
	if err != nil {
		return err
	}
	m, err := newAtomicModel(exp)
	if err != nil {
		return err
	}
	defer m.close()
	if _, err := m.evaluate(truePositions, nil); err != nil {
		return err
	}
	if err := set(m.target, m.value(m.image)); err != nil {
		return err
	}
	start := append([]float64(nil), truePositions...)
	for i := range start {
		start[i] += 0.02 * math.Cos(float64(7*i+1)) // a fixed, irregular displacement
	}
	res, err := fitAtoms(m, start)
	if err != nil {
		return err
	}
	l0, _ := m.evaluate(start, nil)
	fmt.Fprintf(out, "loss %.6g at the start, %.6g after %d L-BFGS iterations (%s)\n", l0, res.F, res.Stats.MajorIterations, res.Status)
	fmt.Fprintf(out, "interatomic vectors (fractional) fitted vs true:\n")
	for _, p := range [][2]int{{0, 1}, {0, 2}} {
		for c := range 3 {
			fit := res.X[3*c+p[1]] - res.X[3*c+p[0]]
			tru := truePositions[3*c+p[1]] - truePositions[3*c+p[0]]
			fmt.Fprintf(out, "  atom %d-%d %c: %+.5f %+.5f\n", p[0], p[1], "xyz"[c], fit, tru)
		}
	}
	return nil
}

// fitAtoms minimises the model's loss over the positions with gonum's
// L-BFGS, the loss and gradient coming from one run of the graph.
func fitAtoms(m *atomicModel, start []float64) (*optimize.Result, error) {
	return minimize(m.evaluate, start, optimize.Settings{MajorIterations: 200, GradientThreshold: 1e-10})
}
