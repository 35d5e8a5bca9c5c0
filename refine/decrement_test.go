package refine

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/optimize"
)

func TestNewtonDecrement(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		g    []float64
		cov  [][]float64
		want float64
	}{
		{"diagonal", []float64{2, 3}, [][]float64{{1, 0}, {0, 4}}, (4 + 36) / 2.0},
		{"correlated", []float64{1, 1}, [][]float64{{1, 0.5}, {0.5, 1}}, 3 / 2.0},
		{"undetermined row left out", []float64{1, 5}, [][]float64{{2, nan}, {nan, nan}}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.InDelta(t, c.want, newtonDecrement(c.g, c.cov), 1e-15)
		})
	}
}

// A failed line search counts as convergence only when a Newton step
// would gain less than maxDecrement.
func TestJudgeLineSearchFailure(t *testing.T) {
	f := &fitter{}
	failed := pixelOutcome{status: optimize.Failure, err: errors.New("linesearch: failed to converge")}
	for _, c := range []struct {
		decrement float64
		converged bool
	}{{maxDecrement / 10, true}, {maxDecrement * 10, false}, {math.NaN(), false}} {
		ok, reason := f.judge(failed, &Result{Decrement: c.decrement, Fit: GoodnessOfFit{Statistic: "none"}})
		require.Equal(t, c.converged, ok, reason)
	}
}
