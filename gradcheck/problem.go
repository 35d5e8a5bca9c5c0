package gradcheck

import (
	"fmt"

	"gobragg/graph"
	"gobragg/sim"
)

// Problem adapts a *sim.Problem: its parameters are the graph parameters
// (graph.Params, SI units; cell lengths in Angstrom) and its loss is the
// graph loss chosen by Options (the zero value is the sum of the image).
type Problem struct {
	P *sim.Problem
	// Options select the loss of Loss and Gradient; Options.Gradient is
	// ignored. Images and pixel gradients do not depend on them.
	Options graph.Options
}

// NewProblem returns the adapter of p with the summed-image loss.
func NewProblem(p *sim.Problem) *Problem { return &Problem{P: p} }

// Names returns the graph parameters in packed order.
func (q *Problem) Names() []string { return q.P.Exp.Params.Names() }

// Value returns a parameter's value; NaN for an unknown name.
func (q *Problem) Value(name string) float64 {
	v, ok := q.P.Exp.Params.Get(name)
	if !ok {
		return nan
	}
	return v
}

// SetValue changes a parameter (it must exist: Params.Set would add it).
func (q *Problem) SetValue(name string, v float64) {
	if q.P.Exp.Params.Has(name) {
		q.P.Exp.Params.Set(name, v)
	}
}

// Loss runs the forward graph.
func (q *Problem) Loss() (float64, error) { return q.P.LossWith(q.Options) }

// Gradient runs the graph with its backward pass.
func (q *Problem) Gradient() (float64, map[string]float64, error) {
	l, g, _, err := q.P.GradientWith(q.Options)
	return l, g, err
}

// Image renders the float64 image.
func (q *Problem) Image() ([]float64, error) { return q.P.Image() }

// ImageSize is the detector size in pixels; a multi-panel image is one
// row (fast is the image index, see graph.Setup.PanelOffset).
func (q *Problem) ImageSize() (slow, fast int) {
	if s := q.P.Exp.Setup; s.Panels != nil {
		return 1, s.NPix()
	}
	return q.P.Exp.Setup.SPixels, q.P.Exp.Setup.FPixels
}

// WeightedGradient returns the parameter gradient of sum(w * image).
func (q *Problem) WeightedGradient(w []float64) (map[string]float64, error) {
	_, g, _, err := q.P.GradientWith(graph.Options{Loss: graph.Weighted(w)})
	return g, err
}

var _ PixelTarget = (*Problem)(nil)

// errNoEntry names a structure-factor entry outside the table.
func errNoEntry(i, n int) error {
	return fmt.Errorf("structure factor %d is outside the table of %d entries", i, n)
}

// LossWeights reports the summed and weighted losses as linear in the
// image (see LinearTarget); a squared loss is not.
func (q *Problem) LossWeights() ([]float64, bool) { return lossWeights(q.Options) }

func lossWeights(o graph.Options) ([]float64, bool) {
	switch l := o.Loss.(type) {
	case nil:
		return nil, true
	case graph.Weighted:
		return l, true
	}
	return nil, false
}

var _ LinearTarget = (*Problem)(nil)
