package refine

import (
	"math"
)

// Fisher-scoring steps that finish a fit whose line search gave up above
// maxDecrement: at most maxNewtonSteps kept, each tried at full length
// and then halved up to newtonHalvings times.
const (
	maxNewtonSteps = 3
	newtonHalvings = 3
)

// optimum is the fit read at a point: loss and gradient (option units),
// Fisher information, the floored backgrounds at 0, the covariance over
// the others and the Newton decrement.
type optimum struct {
	values, grad []float64
	loss         float64
	cov          [][]float64
	atZero       []bool
	undetermined []string
	decrement    float64
}

// readOptimum evaluates the fit at values and leaves the models there.
func (f *fitter) readOptimum(values []float64) (optimum, error) {
	f.cacheOK = false
	loss, grad, err := f.lossGrad(values)
	if err != nil {
		return optimum{}, err
	}
	return f.optimumEvaluated(values, loss, grad)
}

// optimumEvaluated is readOptimum with the models already evaluated at
// values, giving loss and grad.
func (f *fitter) optimumEvaluated(values []float64, loss float64, grad []float64) (optimum, error) {
	fisher, err := f.fisherEvaluated(values)
	if err != nil {
		return optimum{}, err
	}
	o := optimum{values: values, grad: grad, loss: loss, atZero: f.atZeroSet(values, grad)}
	o.cov, o.undetermined = covarianceFree(fisher, f.names, o.atZero)
	o.decrement = newtonDecrement(grad, o.cov)
	return o, nil
}

// newtonPolish takes Fisher-scoring steps, values - C grad over the
// parameters C determines, from a point where L-BFGS's line search gave
// up with the Newton decrement still above maxDecrement: L-BFGS's
// direction, built from gradients alone, can be poor where the Fisher
// information's direction is not. A step (or its half, quarter, eighth)
// is kept only when it lowers the loss and stays inside every bound; the
// polish stops once the decrement is below maxDecrement. It returns the
// last point kept and the steps kept; the verdict reads the decrement
// there as before.
func (f *fitter) newtonPolish(o optimum) (optimum, int, error) {
	kept := 0
	for kept < maxNewtonSteps && !(o.decrement < maxDecrement) && !math.IsNaN(o.decrement) {
		next, loss, grad, err := f.newtonTry(o)
		if err != nil {
			return o, kept, err
		}
		if next == nil {
			break
		}
		if o, err = f.optimumEvaluated(next, loss, grad); err != nil {
			return o, kept, err
		}
		kept++
	}
	return o, kept, nil
}

// newtonTry returns the first of the Newton step and its halvings that
// stays inside the bounds and lowers the loss, with its loss and gradient
// and the models left there; nil when none does, the models put back at
// o.values if a rejected try moved them.
func (f *fitter) newtonTry(o optimum) ([]float64, float64, []float64, error) {
	step := make([]float64, len(o.values))
	for i := range step {
		if math.IsNaN(o.cov[i][i]) {
			continue // at 0 or undetermined: held
		}
		for j := range step {
			if c := o.cov[i][j]; !math.IsNaN(c) {
				step[i] -= c * o.grad[j]
			}
		}
	}
	scale, moved := 1.0, false
	for range newtonHalvings + 1 {
		next := make([]float64, len(step))
		inside := true
		for i := range next {
			next[i] = o.values[i] + scale*step[i]
			info := f.infos[i]
			if !(next[i] >= info.Lower && next[i] <= info.Upper) || (f.floored(i) && next[i] < 0) {
				inside = false
			}
		}
		if inside {
			f.cacheOK = false
			loss, grad, err := f.lossGrad(next)
			if err != nil {
				return nil, 0, nil, err
			}
			if loss < o.loss {
				return next, loss, grad, nil
			}
			moved = true
		}
		scale /= 2
	}
	if moved {
		f.cacheOK = false
		if _, _, err := f.lossGrad(o.values); err != nil {
			return nil, 0, nil, err
		}
	}
	return nil, 0, nil, nil
}
