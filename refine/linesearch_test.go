package refine

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/optimize"
)

// runLinesearch drives ls along phi (value and slope at a step) from step
// 1 and returns the evaluations it asked for, its last step and error.
func runLinesearch(ls optimize.Linesearcher, phi func(a float64) (float64, float64)) (int, float64, error) {
	f0, g0 := phi(0)
	op := ls.Init(f0, g0, 1)
	step, evals := 1.0, 0
	for evals < 200 {
		f, g := phi(step)
		evals++
		var err error
		op, step, err = ls.Iterate(f, g)
		if err != nil {
			return evals, step, err
		}
		if op == optimize.MajorIteration {
			return evals, step, nil
		}
	}
	return evals, step, errors.New("no end")
}

func TestBoundedBisection(t *testing.T) {
	quadratic := func(f0, slope, curv float64) func(float64) (float64, float64) {
		return func(a float64) (float64, float64) { return f0 + slope*a + 0.5*curv*a*a, slope + curv*a }
	}
	// At the rounding floor: the slope promises a decrease of 0.01 at
	// step 1, but the loss (1e5 log-likelihood units) only rises by its
	// rounding at every step, as beside a minimum.
	floor := func(a float64) (float64, float64) {
		if a == 0 {
			return 1e5, -1e-2
		}
		return 1e5 + 1e-11, -1e-2
	}
	tests := []struct {
		name      string
		phi       func(float64) (float64, float64)
		wantFail  bool
		maxEvals  int
		sameSteps bool // ends where gonum's Bisection does
	}{
		{"a minimum at step 0.7", quadratic(10, -1, 1/0.7), false, 10, true},
		{"a minimum at step 3", quadratic(10, -1, 1/3.0), false, 10, true},
		{"a minimum at step 1e-3, decrease 5e-4", quadratic(10, -1, 1e3), false, 30, true},
		{"at the rounding floor", floor, true, 15, false},
		{"slope below the bound", quadratic(10, -1e-5, 1), true, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, step, err := runLinesearch(&boundedBisection{}, tc.phi)
			if gotFail := errors.Is(err, optimize.ErrLinesearcherFailure); gotFail != tc.wantFail || (err != nil && !gotFail) {
				t.Fatalf("error %v, want failure %v", err, tc.wantFail)
			}
			if n > tc.maxEvals {
				t.Errorf("%d evaluations, want at most %d", n, tc.maxEvals)
			}
			plainN, plainStep, plainErr := runLinesearch(&optimize.Bisection{}, tc.phi)
			if tc.sameSteps && (plainN != n || plainStep != step || plainErr != nil) {
				t.Errorf("%d evaluations to step %g; gonum's Bisection %d to %g (%v)", n, step, plainN, plainStep, plainErr)
			}
			if tc.wantFail && !(plainN > n) {
				t.Errorf("%d evaluations, no fewer than gonum's Bisection's %d", n, plainN)
			}
		})
	}
}
