package graph

import (
	"math"
	"slices"

	"gobragg/physics"
)

// Option is a parameter as the command line, gobragg gradient, refine and
// ensemble name it: the graph parameter it sets, the unit of its option
// value, how an option value becomes the graph value, and the physical
// bounds of the option value. It is the one registry of parameter names.
type Option struct {
	Name  string // as the user writes it: misset_x, energy, osc, wave, panel3_dist
	Param string // the graph parameter it sets
	Unit  string // of the option value
	// PerUnit is the size of one option unit in graph units (linear
	// options; energy and osc convert otherwise, see ToGraph).
	PerUnit      float64
	Lower, Upper float64 // bounds of the option value (-Inf, +Inf: none)
	kind         optionKind
}

type optionKind int

const (
	linearOption optionKind = iota // graph = option * PerUnit
	energyOption                   // lambda = 12398.42 / E Angstrom (eV)
	oscOption                      // phistep = osc / phisteps (degrees)
)

// Parameters of the data model mu = scale * photons + background, which
// refine's likelihoods read from theta and refine and gradient -target set.
var dataModelUnits = map[string]string{PScale: "counts/photon", PBackground: "counts"}

// optionAliases are other spellings of parameter names.
var optionAliases = map[string]string{"wave": PLambda, "wavelength": PLambda}

// optionBounds are the physical bounds of option values, where physics
// needs them. Background has none here: under least squares or a
// Gaussian an offset slightly off makes it negative; under the Poisson
// likelihood refine bounds it below by 0 itself (refine/bound.go).
var optionBounds = map[string][2]float64{
	PNa: {1, math.Inf(1)}, PNb: {1, math.Inf(1)}, PNc: {1, math.Inf(1)},
	PCellA: {0, math.Inf(1)}, PCellB: {0, math.Inf(1)}, PCellC: {0, math.Inf(1)},
	PCellAlpha: {0, 180}, PCellBeta: {0, 180}, PCellGamma: {0, 180},
	PDistance: {0, math.Inf(1)}, PCloseDistance: {0, math.Inf(1)},
	PPolar: {0, 1}, PMosaic: {0, math.Inf(1)}, PMosaicSpindle: {0, math.Inf(1)}, PLambda: {0, math.Inf(1)},
	PWater: {0, math.Inf(1)}, PFluence: {0, math.Inf(1)},
	PScale: {0, math.Inf(1)},
}

// LookupOption resolves a parameter name: any name of OptionNames, an
// alias (wave, wavelength), energy (eV), osc (the frame's width in
// degrees), an A-matrix entry (mat_11 ..) or a panel or group motion.
func LookupOption(name string) (Option, bool) {
	o := Option{Name: name, Lower: math.Inf(-1), Upper: math.Inf(1)}
	param := name
	if a, ok := optionAliases[name]; ok {
		param = a
	}
	switch {
	case name == "energy":
		o.Param, o.Unit, o.kind, o.Lower = PLambda, "eV", energyOption, 0
		return o, true
	case name == "osc":
		_, deg, _ := OptionUnit(PPhiStep)
		o.Param, o.Unit, o.PerUnit, o.kind = PPhiStep, "degree", deg, oscOption
		return o, true
	case dataModelUnits[param] != "":
		o.Param, o.Unit, o.PerUnit = param, dataModelUnits[param], 1
	default:
		unit, per, ok := OptionUnit(param)
		if !ok {
			return Option{}, false
		}
		o.Param, o.Unit, o.PerUnit = param, unit, per
	}
	if b, ok := optionBounds[param]; ok {
		o.Lower, o.Upper = b[0], b[1]
	}
	return o, true
}

// OptionNames lists the fixed names LookupOption knows (not the panel
// and group motions, which depend on the detector), sorted.
func OptionNames() []string {
	var out []string
	for n := range optionUnits {
		out = append(out, n)
	}
	for r := range 3 {
		for c := range 3 {
			out = append(out, MatParam(r, c))
		}
	}
	for n := range optionAliases {
		out = append(out, n)
	}
	for n := range dataModelUnits {
		out = append(out, n)
	}
	out = append(out, "energy", "osc")
	slices.Sort(out)
	return out
}

// OptionUnits groups OptionNames by the unit refine, gradient and the
// help text give them in: each unit with its names, units sorted by name.
func OptionUnits() (units []string, names map[string][]string) {
	names = map[string][]string{}
	for _, n := range OptionNames() {
		o, ok := LookupOption(n)
		if !ok {
			continue
		}
		if names[o.Unit] == nil {
			units = append(units, o.Unit)
		}
		names[o.Unit] = append(names[o.Unit], n)
	}
	slices.Sort(units)
	return units, names
}

// ToGraph returns the graph value of option value v in experiment exp and
// its derivative d graph / d v.
func (o Option) ToGraph(exp *Experiment, v float64) (float64, float64) {
	switch o.kind {
	case energyOption:
		lam := physics.HCEVAngstrom / v * 1e-10
		return lam, -lam / v
	case oscOption:
		per := o.PerUnit / float64(max(exp.PhiSteps, 1))
		return v * per, per
	}
	return v * o.PerUnit, o.PerUnit
}

// FromGraph is the inverse of ToGraph.
func (o Option) FromGraph(exp *Experiment, g float64) float64 {
	switch o.kind {
	case energyOption:
		return physics.HCEVAngstrom / (g * 1e10)
	case oscOption:
		return g / (o.PerUnit / float64(max(exp.PhiSteps, 1)))
	}
	return g / o.PerUnit
}
