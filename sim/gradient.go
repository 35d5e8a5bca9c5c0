package sim

import (
	"fmt"

	"gobragg/graph"
)

// Loss evaluates the loss (the sum of the float image) at the problem's
// current parameters with the forward graph only.
func (p *Problem) Loss() (float64, error) {
	return p.LossWith(graph.Options{})
}

// LossWith evaluates opts.Loss (a graph.Loss; nil: the sum of the
// image), forward only.
func (p *Problem) LossWith(opts graph.Options) (float64, error) {
	opts.Gradient = false
	m, err := graph.Build(p.Exp, opts)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		return 0, err
	}
	return m.Loss(), nil
}

// Gradient runs the graph with its backward pass and returns the loss and
// dLoss/dparameter for every parameter (SI units, see graph.Params) plus
// dLoss/dF for the dense structure-factor table.
func (p *Problem) Gradient() (float64, map[string]float64, []float64, error) {
	return p.GradientWith(graph.Options{Gradient: true})
}

// GradientWith is Gradient for the loss opts.Loss (opts.Gradient is
// forced on).
func (p *Problem) GradientWith(opts graph.Options) (float64, map[string]float64, []float64, error) {
	opts.Gradient = true
	m, err := graph.Build(p.Exp, opts)
	if err != nil {
		return 0, nil, nil, err
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		return 0, nil, nil, err
	}
	g, err := m.Gradient()
	if err != nil {
		return 0, nil, nil, err
	}
	gf, err := m.GradientF()
	if err != nil {
		return 0, nil, nil, fmt.Errorf("structure factors: %w", err)
	}
	return m.Loss(), g, gf, nil
}

// Image renders the float64 image at the current parameters.
func (p *Problem) Image() ([]float64, error) {
	m, err := graph.Build(p.Exp, graph.Options{})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if err := m.Run(); err != nil {
		return nil, err
	}
	return append([]float64(nil), m.Image()...), nil
}

// FreezeCarryOver pins the C-parity phi = 0 carry-over pattern to the
// current phi angles (see graph.Experiment.PhiZero).
func (p *Problem) FreezeCarryOver() {
	phis := p.Exp.PhiAngles()
	z := make([]bool, len(phis))
	for t, phi := range phis {
		z[t] = phi == 0
	}
	p.Exp.PhiZero = z
}
