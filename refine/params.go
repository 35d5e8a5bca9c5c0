package refine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gobragg/graph"
	"gobragg/physics"
)

// paramInfo is what refine knows about a parameter name: the graph
// parameter it sets, the option unit and its size in graph units, and the
// physical bounds of its value in option units.
type paramInfo struct {
	param   string
	unit    string
	perUnit float64
	lower   float64 // -Inf: none
	upper   float64 // +Inf: none
	frame   int     // the one frame it belongs to, or -1 for all
	kind    convKind
	fIndex  int // a structure factor's dense table index (param FName)
}

// convKind says how an option value becomes the graph value.
type convKind int

const (
	linear convKind = iota // graph = option * perUnit
	energy                 // lambda = 12398.42 / E Angstrom (eV)
	osc                    // phistep = osc / phisteps (degrees)
)

// hcEVAngstrom is nanoBragg's h c in eV Angstrom (lambda = 12398.42 / E).
const hcEVAngstrom = physics.HCEVAngstrom

// toGraph returns the graph value of option value v in experiment exp and
// its derivative d graph / d v.
func (p paramInfo) toGraph(exp *graph.Experiment, v float64) (float64, float64) {
	switch p.kind {
	case energy:
		lam := hcEVAngstrom / v * 1e-10
		return lam, -lam / v
	case osc:
		per := p.perUnit / float64(max(exp.PhiSteps, 1))
		return v * per, per
	}
	return v * p.perUnit, p.perUnit
}

// fromGraph is the inverse of toGraph.
func (p paramInfo) fromGraph(exp *graph.Experiment, g float64) float64 {
	switch p.kind {
	case energy:
		return hcEVAngstrom / (g * 1e10)
	case osc:
		return g / (p.perUnit / float64(max(exp.PhiSteps, 1)))
	}
	return g / p.perUnit
}

var inf = math.Inf(1)

// bounds in option units, where physics needs them.
var paramBounds = map[string][2]float64{
	graph.PNa: {1, inf}, graph.PNb: {1, inf}, graph.PNc: {1, inf},
	graph.PCellA: {0, inf}, graph.PCellB: {0, inf}, graph.PCellC: {0, inf},
	graph.PCellAlpha: {0, 180}, graph.PCellBeta: {0, 180}, graph.PCellGamma: {0, 180},
	graph.PDistance: {0, inf}, graph.PCloseDistance: {0, inf},
	graph.PPolar: {0, 1}, graph.PMosaic: {0, inf}, graph.PLambda: {0, inf},
	graph.PWater: {0, inf}, graph.PFluence: {0, inf},
	graph.PScale: {0, inf},
	// background has no bound: an offset that is slightly off makes it
	// negative, and mu <= 0 is refused by the Poisson loss itself.
}

// aliases are other spellings of parameter names (as gobragg gradient
// accepts them).
var aliases = map[string]string{"wave": graph.PLambda, "wavelength": graph.PLambda}

// lookup resolves a refinable name.
func lookup(name string) (paramInfo, bool) {
	if a, ok := aliases[name]; ok {
		name = a
	}
	var info paramInfo
	switch name {
	case "energy":
		info = paramInfo{param: graph.PLambda, unit: "eV", kind: energy}
		info.lower, info.upper, info.frame = 0, inf, -1
		return info, true
	case "osc":
		_, deg, _ := graph.OptionUnit(graph.PPhiStep)
		info = paramInfo{param: graph.PPhiStep, unit: "degree", perUnit: deg, kind: osc}
		info.lower, info.upper, info.frame = math.Inf(-1), inf, -1
		return info, true
	case graph.PScale:
		info = paramInfo{param: name, unit: "counts/photon", perUnit: 1}
	case graph.PBackground:
		info = paramInfo{param: name, unit: "counts", perUnit: 1}
	default:
		unit, per, ok := graph.OptionUnit(name)
		if !ok {
			return paramInfo{}, false
		}
		info = paramInfo{param: name, unit: unit, perUnit: per}
	}
	info.lower, info.upper, info.frame = math.Inf(-1), inf, -1
	if b, ok := paramBounds[name]; ok {
		info.lower, info.upper = b[0], b[1]
	}
	return info, true
}

// Unit returns the unit in which refine reports parameter name.
func Unit(name string) (string, bool) {
	info, ok := lookup(name)
	return info.unit, ok
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
	dataModel := info.param == graph.PScale || info.param == graph.PBackground
	if !ok || !(exp.Params.Has(info.param) || dataModel) {
		return &UnknownParameterError{Bad: []string{name + " is not a parameter of this run"}, Valid: Names(exp)}
	}
	if math.IsNaN(value) || math.IsInf(value, 0) || value < info.lower || value > info.upper {
		return badf("%s = %g %s is outside its physical range", name, value, info.unit)
	}
	v, _ := info.toGraph(exp, value)
	exp.Params.Set(info.param, v)
	return nil
}
