package refine

import (
	"math"

	"gonum.org/v1/gonum/optimize"
)

// minLineDecrease (log-likelihood units) is the smallest loss decrease a
// line search still looks for: a tenth of the convergence bound
// maxDecrement, so that giving up there cannot hide a minimum the verdict
// would tell apart.
const minLineDecrease = maxDecrement / 10

// boundedBisection is gonum's Bisection line search that gives up once the
// step it would try next could not lower the loss by minLineDecrease even
// to first order (step times the slope at the line's start; along a convex
// line no shorter step does better). Plain bisection halves the step until
// it no longer changes in float64, some fifty loss and gradient
// evaluations spent on rounding at the end of every fit that stops there.
// Its failure is judged as before, by the Newton decrement at the best
// point.
type boundedBisection struct {
	optimize.Bisection
	slope float64 // directional derivative at the start, loss units per unit step
}

func (b *boundedBisection) Init(f, g, step float64) optimize.Operation {
	b.slope = g
	return b.Bisection.Init(f, g, step)
}

func (b *boundedBisection) Iterate(f, g float64) (optimize.Operation, float64, error) {
	op, step, err := b.Bisection.Iterate(f, g)
	if err == nil && op == optimize.FuncEvaluation && step*math.Abs(b.slope) < minLineDecrease {
		return optimize.NoOperation, step, optimize.ErrLinesearcherFailure
	}
	return op, step, err
}

// defaultMethod is the optimiser Refine uses when given none: L-BFGS with
// the bounded bisection.
func defaultMethod() optimize.Method {
	return &optimize.LBFGS{Linesearcher: &boundedBisection{}}
}
