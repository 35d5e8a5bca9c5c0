// Command refine recovers experiment parameters from a diffraction image by
// gradient-based optimisation through the gobragg graph.
//
//	go run ./examples/refine
//
// It renders a target image at the true detector distance, beam centre,
// crystal misset angles and cell length a, perturbs those parameters, and
// minimises the squared error between the simulated and the target image
// with gonum's L-BFGS, taking every gradient from one backward pass of the
// graph (Problem.GradientWith with graph.LossSquared). The optimiser works
// on normalised variables: each parameter in its option's units (mm,
// degrees, Angstrom) divided by a typical step, so that all variables have
// similar curvature; the loss is divided by its starting value.
//
// The squared error of an image of spots is not convex: the start must lie
// in the basin of the truth. From the offsets used here (about one pixel of
// beam centre, 2% of the distance, a spot width of misset and cell) the run
// converges, and also from 0.5x, 1.25x and -1.5x these offsets; from 1.5x it
// stops in a wrong minimum where spots overlap their neighbours.
package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"gonum.org/v1/gonum/optimize"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

func main() {
	if err := run(os.Stdout, defaultSetup()); err != nil {
		fmt.Fprintln(os.Stderr, "refine:", err)
		os.Exit(1)
	}
}

// parameter is one refined quantity in option units (graph.OptionUnit).
type parameter struct {
	name  string  // graph parameter name
	scale float64 // typical step in option units (normalisation)
	shift float64 // start = truth + shift, option units
}

// toSI returns the size of one option unit of the parameter in graph units.
func (q parameter) toSI() float64 { _, per, _ := graph.OptionUnit(q.name); return per }

// unit returns the option unit of the parameter.
func (q parameter) unit() string { u, _, _ := graph.OptionUnit(q.name); return u }

// setup is the experiment and the refinement problem.
type setup struct {
	Pixels  int         // detector side in pixels (the detector is 25.6 mm wide)
	Params  []parameter // refined parameters with their start offsets
	MaxIter int         // L-BFGS iteration limit
}

// defaultSetup refines seven parameters on a 96x96 detector from a start
// about one pixel (beam centre), 2% (distance) and a spot width (misset,
// cell) away from the truth.
func defaultSetup() setup {
	return setup{
		Pixels: 96,
		Params: []parameter{
			{graph.PDistance, 1, 1.2},
			{graph.PXbeam, 0.1, 0.25},
			{graph.PYbeam, 0.1, -0.2},
			{graph.PMissetX, 0.1, 0.15},
			{graph.PMissetY, 0.1, -0.1},
			{graph.PMissetZ, 0.1, 0.12},
			{graph.PCellA, 0.1, 0.3},
		},
		MaxIter: 100,
	}
}

// args is a lysozyme-like crystal (every F = 100) with small, smooth
// (Gaussian) spots on a 25.6 mm detector.
func args(pixels int) []string {
	return []string{
		"-cell", "79.1", "79.1", "38.4", "90", "90", "90", "-default_F", "100",
		"-misset", "10", "-20", "30", "-N", "6", "-gauss_xtal",
		"-mosaic", "0.1", "-mosaic_dom", "2", "-osc", "0.5", "-phisteps", "3",
		"-lambda", "1.0", "-distance", "60",
		"-detpixels", fmt.Sprint(pixels), "-pixel", fmt.Sprint(25.6 / float64(pixels)),
		"-oversample", "1", "-fluence", "1e26",
	}
}

// result is what run recovers.
type result struct {
	Truth, Start, Final []float64 // option units
	Loss0, Loss         float64   // squared error at the start and the end
	Iterations, Evals   int
}

// run refines and prints the iterations and the recovered values.
func run(out io.Writer, su setup) error {
	_, err := refine(out, su)
	return err
}

// refine renders the target at the experiment's parameters, starts from
// truth + shift and minimises the squared error with L-BFGS.
func refine(out io.Writer, su setup) (*result, error) {
	s, err := config.Parse(args(su.Pixels))
	if err != nil {
		return nil, err
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		return nil, err
	}
	n := len(su.Params)
	res := &result{Truth: make([]float64, n), Start: make([]float64, n), Final: make([]float64, n)}
	for i, q := range su.Params {
		v, ok := p.Exp.Params.Get(q.name)
		if !ok {
			return nil, fmt.Errorf("%s is not a parameter of the experiment", q.name)
		}
		res.Truth[i] = v / q.toSI()
		res.Start[i] = res.Truth[i] + q.shift
	}
	target, err := p.Image()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "target: %dx%d image, %.6g photons\n", su.Pixels, su.Pixels, sum(target))

	// x[i] = (value_i - start_i) / scale_i.
	set := func(x []float64) {
		for i, q := range su.Params {
			p.Exp.Params.Set(q.name, (res.Start[i]+x[i]*q.scale)*q.toSI())
		}
	}
	opts := graph.Options{Loss: graph.LossSquared, Target: target}
	// L-BFGS asks for the value and the gradient at the same points; one
	// backward pass gives both, so keep the last one.
	var lastX []float64
	var lastL float64
	var lastG []float64
	var evalErr error
	evals := 0
	eval := func(x []float64) (float64, []float64) {
		if lastX != nil && equal(x, lastX) {
			return lastL, lastG
		}
		set(x)
		l, g, _, err := p.GradientWith(opts)
		evals++
		if err != nil {
			// A trial step to impossible parameters (say a negative cell
			// length) is an infinitely bad point: the line search backs off.
			if evals == 1 {
				evalErr = err
			}
			return math.Inf(1), make([]float64, n)
		}
		gx := make([]float64, n)
		for i, q := range su.Params {
			gx[i] = g[q.name] * q.toSI() * q.scale // chain rule to x
		}
		lastX, lastL, lastG = append(lastX[:0], x...), l, gx
		return l, gx
	}
	x0 := make([]float64, n)
	l0, _ := eval(x0)
	if evalErr != nil {
		return nil, evalErr
	}
	res.Loss0 = l0
	norm := 1 / l0
	problem := optimize.Problem{
		Func: func(x []float64) float64 { l, _ := eval(x); return l * norm },
		Grad: func(grad, x []float64) {
			_, g := eval(x)
			for i := range grad {
				grad[i] = g[i] * norm
			}
		},
	}
	start := time.Now()
	iter := -1 // gonum reports the starting point as the first major iteration
	settings := &optimize.Settings{
		MajorIterations:   su.MaxIter,
		GradientThreshold: 1e-9,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-10, Iterations: 5},
		Recorder: recorderFunc(func(loc *optimize.Location, op optimize.Operation) {
			if op != optimize.MajorIteration {
				return
			}
			iter++
			v := make([]float64, n)
			for i, q := range su.Params {
				v[i] = res.Start[i] + loc.X[i]*q.scale
			}
			printRow(out, iter, loc.F/norm, su, v)
		}),
	}
	r, err := optimize.Minimize(problem, x0, settings, &optimize.LBFGS{})
	if evalErr != nil {
		return nil, evalErr
	}
	if err != nil {
		if r == nil {
			return nil, err
		}
		// A line-search failure near the minimum still leaves the best point in r.
		fmt.Fprintf(out, "optimiser: %v\n", err)
	}
	for i, q := range su.Params {
		res.Final[i] = res.Start[i] + r.X[i]*q.scale
	}
	res.Loss = r.F / norm
	res.Iterations = r.Stats.MajorIterations
	res.Evals = evals
	fmt.Fprintf(out, "\n%s after %d iterations, %d graph evaluations, %.1f s; squared error %.3g -> %.3g\n",
		r.Status, res.Iterations, evals, time.Since(start).Seconds(), res.Loss0, res.Loss)
	fmt.Fprintf(out, "%-14s %-9s %12s %12s %12s %12s\n", "parameter", "unit", "true", "start", "refined", "error")
	for i, q := range su.Params {
		fmt.Fprintf(out, "%-14s %-9s %12.6f %12.6f %12.6f %12.2e\n", q.name, q.unit(), res.Truth[i], res.Start[i], res.Final[i], res.Final[i]-res.Truth[i])
	}
	return res, nil
}

// printRow prints one iteration: the squared error and the parameters in
// option units.
func printRow(out io.Writer, iter int, loss float64, su setup, v []float64) {
	fmt.Fprintf(out, "iter %3d  loss %-11.4e", iter, loss)
	for i, q := range su.Params {
		fmt.Fprintf(out, " %s=%.5g", q.name, v[i])
	}
	fmt.Fprintln(out)
}

// recorderFunc adapts a function to optimize.Recorder.
type recorderFunc func(*optimize.Location, optimize.Operation)

func (recorderFunc) Init() error { return nil }
func (f recorderFunc) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	f(loc, op)
	return nil
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
