package graph

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Parameter names. Values inside the graph are SI (metres, radians) except
// the cell lengths, which nanoBragg keeps in Angstrom, and the A matrix,
// which is in 1/Angstrom times the wavelength in Angstrom.
const (
	PCellA, PCellB, PCellC            = "cell_a", "cell_b", "cell_c"
	PCellAlpha, PCellBeta, PCellGamma = "cell_alpha", "cell_beta", "cell_gamma"
	PMissetX, PMissetY, PMissetZ      = "misset_x", "misset_y", "misset_z"
	PPhi, PPhiStep                    = "phi", "phistep"
	PMosaic, PMosaicSpindle           = "mosaic", "mosaic_spindle"
	PNa, PNb, PNc                     = "Na", "Nb", "Nc"
	PDistance, PCloseDistance         = "distance", "close_distance"
	PXbeam, PYbeam, PXclose, PYclose  = "Xbeam", "Ybeam", "Xclose", "Yclose"
	PORGX, PORGY                      = "ORGX", "ORGY"
	PRotX, PRotY, PRotZ, PTwoTheta    = "detector_rotx", "detector_roty", "detector_rotz", "twotheta"
	PLambda, PPolar, PFluence, PWater = "lambda", "polar", "fluence", "water"
	PDefaultF, PFudge                 = "default_F", "fudge"
)

// MatParam returns the name of A-matrix entry (row, col), both 0-based:
// "mat_11" is a*_x.
func MatParam(row, col int) string { return fmt.Sprintf("mat_%d%d", row+1, col+1) }

// Params is the packed vector of continuous experiment parameters: one
// graph node holds them all and its gradient holds every partial.
type Params struct {
	names  []string
	values []float64
	index  map[string]int
}

// NewParams returns an empty parameter set.
func NewParams() *Params { return &Params{index: map[string]int{}} }

// Set adds a parameter or changes its value.
func (p *Params) Set(name string, value float64) {
	if i, ok := p.index[name]; ok {
		p.values[i] = value
		return
	}
	p.index[name] = len(p.names)
	p.names = append(p.names, name)
	p.values = append(p.values, value)
}

// Has reports whether name is a parameter.
func (p *Params) Has(name string) bool { _, ok := p.index[name]; return ok }

// Get returns a parameter's value.
func (p *Params) Get(name string) (float64, bool) {
	i, ok := p.index[name]
	if !ok {
		return 0, false
	}
	return p.values[i], true
}

// Index returns the position of name in the packed vector, or -1.
func (p *Params) Index(name string) int {
	if i, ok := p.index[name]; ok {
		return i
	}
	return -1
}

// Names returns the parameter names in packed order.
func (p *Params) Names() []string { return append([]string(nil), p.names...) }

// Values returns a copy of the packed values.
func (p *Params) Values() []float64 { return append([]float64(nil), p.values...) }

// Len is the number of parameters.
func (p *Params) Len() int { return len(p.names) }

// Clone returns an independent copy.
func (p *Params) Clone() *Params {
	q := NewParams()
	for i, n := range p.names {
		q.Set(n, p.values[i])
	}
	return q
}

// String lists the parameters sorted by name.
func (p *Params) String() string {
	names := p.Names()
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		v, _ := p.Get(n)
		fmt.Fprintf(&b, "%s=%g ", n, v)
	}
	return strings.TrimSpace(b.String())
}

// degreeRad is one degree in radians with nanoBragg's factor (1/RTD).
var degreeRad = 1 / (180.0 * (1 / math.Pi))

// optionUnits gives, per parameter, the unit of the command-line option
// that sets it and the size of that unit in the graph's units.
var optionUnits = map[string]struct {
	unit    string
	perUnit float64
}{
	PDistance: {"mm", 1e-3}, PCloseDistance: {"mm", 1e-3},
	PXbeam: {"mm", 1e-3}, PYbeam: {"mm", 1e-3}, PXclose: {"mm", 1e-3}, PYclose: {"mm", 1e-3},
	PLambda: {"Angstrom", 1e-10}, PWater: {"micrometre", 1e-6},
	PPhi: {"degree", degreeRad}, PPhiStep: {"degree", degreeRad}, PMosaic: {"degree", degreeRad},
	PMosaicSpindle: {"degree", degreeRad},
	PRotX:          {"degree", degreeRad}, PRotY: {"degree", degreeRad}, PRotZ: {"degree", degreeRad},
	PTwoTheta: {"degree", degreeRad},
	PMissetX:  {"degree", degreeRad}, PMissetY: {"degree", degreeRad}, PMissetZ: {"degree", degreeRad},
	PCellAlpha: {"degree", degreeRad}, PCellBeta: {"degree", degreeRad}, PCellGamma: {"degree", degreeRad},
	PCellA: {"Angstrom", 1}, PCellB: {"Angstrom", 1}, PCellC: {"Angstrom", 1},
	PNa: {"cells", 1}, PNb: {"cells", 1}, PNc: {"cells", 1},
	PPolar: {"1", 1}, PFluence: {"photons/m^2", 1}, PDefaultF: {"electrons", 1}, PFudge: {"1", 1},
	PORGX: {"pixel", 1}, PORGY: {"pixel", 1},
}

// OptionUnit returns the unit of the command-line option that sets
// parameter name and perUnit, the size of one such unit in the graph's
// units: value in graph units = option value * perUnit, and
// dL/d(option value) = dL/d(graph value) * perUnit. A-matrix entries are
// "as in the -mat file" with perUnit 1.
func OptionUnit(name string) (unit string, perUnit float64, ok bool) {
	if u, found := optionUnits[name]; found {
		return u.unit, u.perUnit, true
	}
	if unit, per, ok := panelMotionUnit(name); ok {
		return unit, per, true
	}
	if len(name) == 6 && name[:4] == "mat_" && name[4] >= '1' && name[4] <= '3' && name[5] >= '1' && name[5] <= '3' {
		return "as in the -mat file", 1, true
	}
	return "", 0, false
}
