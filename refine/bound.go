package refine

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/optimize"
)

// A Poisson background at its bound 0.
//
// Under the Poisson likelihood a background (counts per pixel: the
// constant of a frame, or one shoebox's) is bounded below by 0: no
// Poisson mean is negative, and a frame whose true background is 0 has
// pixels of no model and no counts that put the maximum likelihood
// estimate exactly on the bound, with the loss still falling outwards.
// Such a background is floored: it keeps its linear map (so a fit that
// stays inside is unchanged, and a start of 0 is a start like any other),
// the loss is +Inf below 0 (the line search backs off), and each pixel
// stage is an active-set search (pixelStage): a floored background at 0
// whose loss rises inwards (d loss / d background >= 0) is held at 0 while
// the others are fitted, and released when the loss falls inwards there;
// one that a failed line search left pushing at the bound is tried held at
// 0, kept when the loss is no higher. A fit that ends with a floored
// background at 0 and d loss / d background >= 0 there (a Karush-Kuhn-
// Tucker point) has converged with the background AtZero: it gets no
// sigma, and the Newton decrement and the Fisher errors are those of the
// free parameters.
//
// Floored: the frame background under Poisson from a start >= 0 (a
// negative start says the counts carry an offset, and the background is
// then unbounded as before), and shoebox backgrounds under Poisson that
// start at 0 (a positive start keeps the exponential map onto (0, inf)
// that approaches 0 without reaching it, reported AtZero within a
// hundredth of its standard error).

// maxActiveSetRounds bounds the refits of one pixel stage's active-set
// search: each round holds or releases backgrounds, and a problem of a
// few floored backgrounds settles in one or two.
const maxActiveSetRounds = 4

// mapBounds returns the bounds of parameter j's normalised map: none below
// for a floored background (its linear map; eval enforces the floor).
func (f *fitter) mapBounds(j int) (lower, upper float64) {
	info := f.infos[j]
	if f.floored(j) {
		return math.Inf(-1), info.Upper
	}
	return info.Lower, info.Upper
}

// floored reports whether parameter j is a background floored at 0.
func (f *fitter) floored(j int) bool { return j < len(f.floor) && f.floor[j] }

// markFloor floors parameter j at 0.
func (f *fitter) markFloor(j int) {
	for len(f.floor) <= j {
		f.floor = append(f.floor, false)
	}
	f.floor[j] = true
}

// belowFloor reports whether a floored background of values is below 0.
func (f *fitter) belowFloor(v []float64) bool {
	for j := range f.floor {
		if f.floor[j] && v[j] < 0 {
			return true
		}
	}
	return false
}

// atZeroSet returns which parameters are floored backgrounds at 0 with the
// loss not falling inwards (grad >= 0, d loss / d value at values): the
// Karush-Kuhn-Tucker condition of the bound. Nil when there are none.
func (f *fitter) atZeroSet(values, grad []float64) []bool {
	var out []bool
	for j := range f.floor {
		if f.floor[j] && values[j] == 0 && grad[j] >= 0 {
			if out == nil {
				out = make([]bool, len(values))
			}
			out[j] = true
		}
	}
	return out
}

// pixelStage minimises the loss over the active parameters, the others
// held, from the current centre of the normalised variables: with floored
// backgrounds, an active-set search over which of them sit at 0 (see
// above); otherwise one minimisation.
func (f *fitter) pixelStage(active []int, method optimize.Method) (pixelOutcome, error) {
	var bounded []int
	for _, j := range active {
		if f.floored(j) {
			bounded = append(bounded, j)
		}
	}
	if len(bounded) == 0 {
		return f.minimize(active, method)
	}
	// Those starting at 0 with the loss rising inwards start held.
	values := f.values(make([]float64, len(f.trans)))
	held := map[int]bool{}
	if slices.ContainsFunc(bounded, func(j int) bool { return values[j] == 0 }) {
		grad, err := f.gradient(values)
		if err != nil {
			return pixelOutcome{}, err
		}
		for _, j := range bounded {
			if values[j] == 0 && grad[j] >= 0 {
				held[j] = true
			}
		}
	}
	out, err := f.minimize(free(active, held), method)
	if err != nil {
		return pixelOutcome{}, err
	}
	iterations := out.iterations
	for round := 0; round < maxActiveSetRounds && (len(held) > 0 || out.status == optimize.Failure); round++ {
		grad, err := f.gradient(out.values)
		if err != nil {
			return pixelOutcome{}, err
		}
		next := map[int]bool{}
		changed, tried := false, false
		for _, j := range bounded {
			// A Newton step along j alone, g / F_jj with F_jj about
			// 1/step^2 (the step is the start's standard error).
			step := f.trans[j].step
			switch {
			case held[j] && grad[j] < 0:
				changed = true // the loss falls inwards: release it
			case held[j]:
				next[j] = true
			case out.status == optimize.Failure && out.values[j] > 0 && grad[j]*step*step >= out.values[j]:
				// The line search stopped where the loss still falls
				// past the bound: try it at 0.
				next[j], changed, tried = true, true, true
			}
		}
		if !changed {
			break
		}
		start := append([]float64(nil), out.values...)
		for j := range next {
			start[j] = 0
		}
		f.recentre(start)
		if tried {
			if l, err := f.eval(make([]float64, len(f.trans))); err != nil {
				return pixelOutcome{}, err
			} else if math.IsInf(l, 1) {
				// No model at 0 (counts where only the background
				// reaches): keep the line search's end.
				f.recentre(out.values)
				break
			}
		}
		o, err := f.minimize(free(active, next), method)
		if err != nil {
			return pixelOutcome{}, err
		}
		iterations += o.iterations
		if tried && !(o.loss <= out.loss) {
			f.recentre(out.values)
			break // holding did not help: keep the line search's end
		}
		out, held = o, next
	}
	out.iterations = iterations
	return out, nil
}

// gradient returns d loss / d value at values, outside the count of
// evaluations (which counts the optimiser's): the active-set search's
// look at the bound.
func (f *fitter) gradient(values []float64) ([]float64, error) {
	evals := f.evals
	_, grad, err := f.lossGrad(values)
	f.evals, f.cacheOK = evals, false
	return grad, err
}

// free returns the active parameters that are not held.
func free(active []int, held map[int]bool) []int {
	var out []int
	for _, j := range active {
		if !held[j] {
			out = append(out, j)
		}
	}
	return out
}

// covarianceFree is covariance over the parameters not at zero (atZero
// nil: all), with NaN rows and columns for those at zero.
func covarianceFree(info [][]float64, names []string, atZero []bool) ([][]float64, []string) {
	if atZero == nil {
		return covariance(info, names)
	}
	var keep []int
	for j := range info {
		if !atZero[j] {
			keep = append(keep, j)
		}
	}
	sub := make([][]float64, len(keep))
	subNames := make([]string, len(keep))
	for a, i := range keep {
		subNames[a] = names[i]
		sub[a] = make([]float64, len(keep))
		for b, j := range keep {
			sub[a][b] = info[i][j]
		}
	}
	c, undetermined := covariance(sub, subNames)
	cov := make([][]float64, len(info))
	for i := range cov {
		cov[i] = make([]float64, len(info))
		for j := range cov[i] {
			cov[i][j] = math.NaN()
		}
	}
	for a, i := range keep {
		for b, j := range keep {
			cov[i][j] = c[a][b]
		}
	}
	return cov, undetermined
}
