package refine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gobragg/graph"
)

// paramInfo is a refined parameter: its name's entry in graph's registry
// (the graph parameter it sets, its unit, conversion and bounds) and which
// frame and structure factor it belongs to.
type paramInfo struct {
	graph.Option
	frame  int // the one frame it belongs to, or -1 for all
	fIndex int // a structure factor's dense table index (param FName)
}

// toGraph returns the graph value of option value v in experiment exp and
// its derivative d graph / d v.
func (p paramInfo) toGraph(exp *graph.Experiment, v float64) (float64, float64) {
	return p.ToGraph(exp, v)
}

// fromGraph is the inverse of toGraph.
func (p paramInfo) fromGraph(exp *graph.Experiment, g float64) float64 {
	return p.FromGraph(exp, g)
}

var inf = math.Inf(1)

// lookup resolves a refinable name in graph's registry.
func lookup(name string) (paramInfo, bool) {
	o, ok := graph.LookupOption(name)
	return paramInfo{Option: o, frame: -1}, ok
}

// Unit returns the unit in which refine reports parameter name.
func Unit(name string) (string, bool) {
	info, ok := lookup(name)
	return info.Unit, ok
}

// Names lists the refinable names of an experiment: its graph parameters
// (gobragg gradient's names) plus scale and background, sorted.
func Names(exp *graph.Experiment) []string {
	var out []string
	for _, n := range exp.Params.Names() {
		if _, ok := lookup(n); ok {
			out = append(out, n)
		}
	}
	for _, n := range []string{graph.PScale, graph.PBackground} {
		if !exp.Params.Has(n) {
			out = append(out, n)
		}
	}
	if exp.Params.Has(graph.PLambda) {
		out = append(out, "energy")
	}
	if exp.Params.Has(graph.PPhiStep) {
		out = append(out, "osc")
	}
	if exp.Setup.Grid.Count > 0 {
		out = append(out, FName)
	}
	sort.Strings(out)
	return out
}

// UnknownParameterError names parameters that are unknown or not
// parameters of the run, with the valid names.
type UnknownParameterError struct {
	Bad   []string // "NAME is unknown" or "NAME is not a parameter of this run"
	Valid []string
}

func (e *UnknownParameterError) Error() string {
	return fmt.Sprintf("%s; valid names: %s", strings.Join(e.Bad, ", "), strings.Join(e.Valid, " "))
}

// transform maps a normalised variable x (0 at the start, one unit = the
// parameter's typical step there) to the parameter's value in option
// units, keeping it inside its bounds without clipping: an exponential
// above a lower bound, a logistic between two bounds.
type transform struct {
	start, step  float64
	lower, upper float64
	z0, dz       float64 // the unbounded variable z = z0 + dz*x
}

func newTransform(start, step, lower, upper float64) transform {
	t := transform{start: start, step: step, lower: lower, upper: upper}
	switch {
	case !math.IsInf(lower, -1) && !math.IsInf(upper, 1):
		w := upper - lower
		f := (start - lower) / w
		t.z0 = math.Log(f / (1 - f))
		t.dz = step * w / ((start - lower) * (upper - start))
	case !math.IsInf(lower, -1):
		t.z0 = math.Log(start - lower)
		t.dz = step / (start - lower)
	default:
		t.dz = step
	}
	return t
}

// value returns the parameter at x and its derivative d value / d x.
func (t transform) value(x float64) (v, dvdx float64) {
	z := t.z0 + t.dz*x
	switch {
	case !math.IsInf(t.lower, -1) && !math.IsInf(t.upper, 1):
		w := t.upper - t.lower
		s := 1 / (1 + math.Exp(-z))
		return t.lower + w*s, w * s * (1 - s) * t.dz
	case !math.IsInf(t.lower, -1):
		e := math.Exp(z)
		return t.lower + e, e * t.dz
	}
	return t.start + t.step*x, t.step
}

// variable is the inverse of value: the normalised variable of value v.
func (t transform) variable(v float64) float64 {
	var z float64
	switch {
	case !math.IsInf(t.lower, -1) && !math.IsInf(t.upper, 1):
		f := (v - t.lower) / (t.upper - t.lower)
		z = math.Log(f / (1 - f))
	case !math.IsInf(t.lower, -1):
		z = math.Log(v - t.lower)
	default:
		return (v - t.start) / t.step
	}
	return (z - t.z0) / t.dz
}

// inside reports whether v lies strictly inside the bounds.
func inside(v, lower, upper float64) bool { return v > lower && v < upper }

// SetValue sets parameter name of exp to value in the units refine reports
// it in (Unit): what a Result's Parameters give back, so that a refined
// model can be rebuilt from a result file.
func SetValue(exp *graph.Experiment, name string, value float64) error {
	info, ok := lookup(name)
	// The data model's scale and background join any experiment's
	// parameters when set, as refine adds them.
	dataModel := info.Param == graph.PScale || info.Param == graph.PBackground
	if !ok || !(exp.Params.Has(info.Param) || dataModel) {
		return &UnknownParameterError{Bad: []string{name + " is not a parameter of this run"}, Valid: Names(exp)}
	}
	if math.IsNaN(value) || math.IsInf(value, 0) || value < info.Lower || value > info.Upper {
		return badf("%s = %g %s is outside its physical range", name, value, info.Unit)
	}
	v, _ := info.toGraph(exp, value)
	exp.Params.Set(info.Param, v)
	return nil
}
