package graph

import (
	"fmt"
	"math"

	"gobragg/beam"
	"gobragg/crand"
	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/dual"
	"gobragg/physics"
)

// Experiment is everything the graph needs, resolved from the command line:
// templates whose continuous values are replaced by the packed parameters,
// the discrete choices, and the kernel's static setup.
type Experiment struct {
	Setup  Setup
	Params *Params

	Cell     crystal.CellInput // template; parameters override its values
	Detector detector.Input    // template; parameters override its values
	// Panels, one per Setup.Panels, place the panels of a multi-panel
	// detector (the template then gives the beam, polarization and
	// spindle); nil for a single panel.
	Panels []PanelFrame
	// PanelTree, when set, groups the panels as DIALS's hierarchy does;
	// its groups' parameters move their panels together (panel_params.go).
	PanelTree *PanelGroup

	// Sources come from a file (FileSources non-nil) or from the grid.
	FileSources     []beam.FileSource
	SourceGrid      beam.Grid
	SourceDistanceM float64
	// SourceWeights weight each source's terms (spec mode, from the
	// -sourcefile weights, see SourceWeights); nil: equal, as in C.
	SourceWeights []float64

	// MosaicDraws are the random draws (r1, r2, r3) of every domain; domain 0
	// is the identity. MosaicOn is C's "mosaic_spread > 0".
	MosaicDraws [][3]float64
	MosaicOn    bool
	// MosaicNormal turns every domain but 0 by a Gaussian rotation vector
	// of standard deviation mosaic about each axis
	// (crand.NormalMosaicUmat) instead of C's cap (crand.MosaicUmat).
	MosaicNormal bool
	// SpindleQuantiles, when set (one per domain), turn domain m also about
	// the spindle by mosaic_spindle times SpindleQuantiles[m]: a rocking
	// width that leaves the spot on the detector as it is.
	SpindleQuantiles []float64

	// PhiSteps is the number of phi steps (their angles come from the
	// phi and phistep parameters).
	PhiSteps int
	// PhiZero, when set, fixes which phi steps count as exactly zero for the
	// C-parity carry-over instead of testing the current angles: finite
	// differences about phi = 0 must keep the carry-over pattern of the
	// point they differentiate at.
	PhiZero []bool

	// F holds the dense structure factors (one value when there is no table).
	F []float64

	// Steps is C's normalisation: sources x mosaic domains x phi steps x oversample^2.
	Steps float64
}

// arg returns parameter name as a dual number from theta, or fallback.
type paramView struct {
	p     *Params
	theta []dual.Num
}

func (v paramView) get(name string, fallback dual.Num) dual.Num {
	if i := v.p.Index(name); i >= 0 {
		return v.theta[i]
	}
	return fallback
}

func (v paramView) value(name string, fallback float64) float64 {
	if x, ok := v.p.Get(name); ok {
		return x
	}
	return fallback
}

// cellFunc: theta -> a0, b0, c0 (metres) and a*, b*, c* (1/Angstrom).
func (e *Experiment) cellFunc() Func {
	return dualFunc{Label: "cell", Sizes: []int{e.Params.Len()}, Out: 18,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := paramView{e.Params, in[0]}
			c := e.Cell
			c.A, c.B, c.C = v.get(PCellA, c.A), v.get(PCellB, c.B), v.get(PCellC, c.C)
			c.Alpha, c.Beta, c.Gamma = v.get(PCellAlpha, c.Alpha), v.get(PCellBeta, c.Beta), v.get(PCellGamma, c.Gamma)
			c.LambdaM = v.get(PLambda, c.LambdaM)
			if c.RealCell != nil {
				rc := *c.RealCell
				for i, name := range []string{PCellA, PCellB, PCellC, PCellAlpha, PCellBeta, PCellGamma} {
					rc[i] = v.get(name, rc[i])
				}
				c.RealCell = &rc
			}
			if c.Mat != nil {
				var m [9]dual.Num
				for i := 0; i < 9; i++ {
					m[i] = v.get(MatParam(i/3, i%3), c.Mat[i])
				}
				c.Mat = &m
			}
			if c.Misset != nil {
				ms := [3]dual.Num{v.get(PMissetX, c.Misset[0]), v.get(PMissetY, c.Misset[1]), v.get(PMissetZ, c.Misset[2])}
				c.Misset = &ms
			}
			lat, err := crystal.BuildLattice(c)
			if err != nil {
				return nil, err
			}
			out := make([]dual.Num, 0, 18)
			for _, vec := range []dual.Vec3{lat.A, lat.B, lat.C, lat.AStar, lat.BStar, lat.CStar} {
				out = append(out, vec[0], vec[1], vec[2])
			}
			return out, nil
		}}
}

// detectorFunc: theta -> pix0, fast, slow, normal, beam, distance, close distance.
func (e *Experiment) detectorFunc() Func {
	if e.Panels != nil {
		return e.panelsFunc()
	}
	return dualFunc{Label: "detector", Sizes: []int{e.Params.Len()}, Out: detLen,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			geo, err := e.geometry(paramView{e.Params, in[0]})
			if err != nil {
				return nil, err
			}
			out := make([]dual.Num, 0, detLen)
			for _, vec := range []dual.Vec3{geo.Pix0, geo.Fdet, geo.Sdet, geo.Odet, geo.Beam} {
				out = append(out, vec[0], vec[1], vec[2])
			}
			return append(out, geo.DistanceM, geo.CloseDistanceM), nil
		}}
}

func (e *Experiment) geometry(v paramView) (detector.Geometry, error) {
	d := e.Detector
	d.DistanceM = v.get(PDistance, d.DistanceM)
	d.CloseDistanceM = v.get(PCloseDistance, d.CloseDistanceM)
	d.XbeamM, d.YbeamM = v.get(PXbeam, d.XbeamM), v.get(PYbeam, d.YbeamM)
	d.XcloseM, d.YcloseM = v.get(PXclose, d.XcloseM), v.get(PYclose, d.YcloseM)
	d.ORGX, d.ORGY = v.get(PORGX, d.ORGX), v.get(PORGY, d.ORGY)
	d.RotX, d.RotY, d.RotZ = v.get(PRotX, d.RotX), v.get(PRotY, d.RotY), v.get(PRotZ, d.RotZ)
	d.TwoTheta = v.get(PTwoTheta, d.TwoTheta)
	return detector.Build(d)
}

// Geometry returns the detector geometry at the current parameter values.
func (e *Experiment) Geometry() (detector.Geometry, error) {
	return e.geometry(e.constView())
}

// constView is the parameters' current values as dual constants.
func (e *Experiment) constView() paramView {
	th := make([]dual.Num, e.Params.Len())
	for i, x := range e.Params.values {
		th[i] = dual.C(x)
	}
	return paramView{e.Params, th}
}

// sourceList returns the sources at the given parameters.
func (e *Experiment) sourceList(v paramView, geo detector.Geometry) []beam.Source {
	lambda0 := v.get(PLambda, e.SourceGrid.Lambda0M)
	if e.FileSources != nil {
		return beam.FromFile(e.FileSources, geo.Beam.Values(), lambda0, e.SourceDistanceM)
	}
	g := e.SourceGrid
	g.Lambda0M = lambda0
	return beam.FromGrid(g, geo.Beam.Values(), geo.Polar, geo.Vert, e.SourceDistanceM)
}

// Sources returns the sources at the current parameter values.
func (e *Experiment) Sources() ([]beam.Source, error) {
	v := e.constView()
	geo, err := e.geometry(v)
	if err != nil {
		return nil, err
	}
	return e.sourceList(v, geo), nil
}

// sourceFunc: theta -> incident direction and wavelength of every source.
func (e *Experiment) sourceFunc() Func {
	n := e.Setup.NSources
	return dualFunc{Label: "sources", Sizes: []int{e.Params.Len()}, Out: n * srcLen,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := paramView{e.Params, in[0]}
			// Source directions depend only on fixed axes; evaluate the
			// geometry at constant parameters to get them.
			geo, err := e.Geometry()
			if err != nil {
				return nil, err
			}
			src := e.sourceList(v, geo)
			if len(src) != n {
				return nil, fmt.Errorf("sources: %d sources, expected %d", len(src), n)
			}
			out := make([]dual.Num, 0, n*srcLen)
			for _, s := range src {
				out = append(out, dual.C(s.Incident[0]), dual.C(s.Incident[1]), dual.C(s.Incident[2]), s.LambdaM)
			}
			return out, nil
		}}
}

// umatFunc: theta -> the rotation matrix of every mosaic domain: C's
// isotropic turn, then with SpindleQuantiles a turn about the spindle.
func (e *Experiment) umatFunc(spindle [3]float64) Func {
	n := len(e.MosaicDraws)
	return dualFunc{Label: "mosaic_umats", Sizes: []int{e.Params.Len()}, Out: n * 9,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := paramView{e.Params, in[0]}
			spread := v.get(PMosaic, dual.C(0))
			if e.SpindleQuantiles == nil {
				return domainUmats(e.MosaicDraws, e.domainTurn(), spread, dual.C(0), nil, spindle), nil
			}
			if len(e.SpindleQuantiles) != n {
				return nil, fmt.Errorf("%d spindle quantiles for %d mosaic domains", len(e.SpindleQuantiles), n)
			}
			return domainUmats(e.MosaicDraws, e.domainTurn(), spread, v.get(PMosaicSpindle, dual.C(0)), e.SpindleQuantiles, spindle), nil
		}}
}

// turnFunc is the isotropic turn of a domain from its spread and draws.
type turnFunc func(spread dual.Num, r1, r2, r3 float64) dual.Mat3

// domainTurn is C's cap, or the Gaussian turn of MosaicNormal.
func (e *Experiment) domainTurn() turnFunc {
	if e.MosaicNormal {
		return crand.NormalMosaicUmat
	}
	return crand.MosaicUmat
}

// domainUmats are the domains' matrices, row-major: domain m's isotropic
// turn (the identity for domain 0, which C forces to be unrotated), then,
// with z (one quantile per domain; nil: none), R_spindle(rocking * z[m]).
func domainUmats(draws [][3]float64, turn turnFunc, spread, rocking dual.Num, z []float64, spindle [3]float64) []dual.Num {
	axis := dual.V3(spindle[0], spindle[1], spindle[2])
	out := make([]dual.Num, 0, len(draws)*9)
	for m, r := range draws {
		u := dual.Identity3()
		if m > 0 {
			u = turn(spread, r[0], r[1], r[2])
		}
		if z != nil {
			// Column j of R u is R applied to column j of u.
			turn := dual.Mul(rocking, dual.C(z[m]))
			var ru dual.Mat3
			for j := 0; j < 3; j++ {
				c := dual.Vec3{u[j], u[3+j], u[6+j]}.RotateAxis(axis, turn)
				ru[j], ru[3+j], ru[6+j] = c[0], c[1], c[2]
			}
			u = ru
		}
		out = append(out, u[:]...)
	}
	return out
}

// PhiAngles returns the phi of every step at the current parameters, in
// radians: phi0 + phistep·Quirks.PhiStepAt(t).
func (e *Experiment) PhiAngles() []float64 {
	phi0, _ := e.Params.Get(PPhi)
	step, _ := e.Params.Get(PPhiStep)
	out := make([]float64, e.PhiSteps)
	for t := range out {
		out[t] = phi0 + step*e.Setup.Quirks.PhiStepAt(t)
	}
	return out
}

// phiFunc: (cell, theta) -> a, b, c rotated about the spindle for every phi step.
func (e *Experiment) phiFunc(spindle [3]float64) Func {
	n := e.PhiSteps
	return dualFunc{Label: "phi_rotation", Sizes: []int{18, e.Params.Len()}, Out: n * 9,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := paramView{e.Params, in[1]}
			phi0 := v.get(PPhi, dual.C(0))
			step := v.get(PPhiStep, dual.C(0))
			axis := dual.V3(spindle[0], spindle[1], spindle[2])
			out := make([]dual.Num, 0, n*9)
			for t := 0; t < n; t++ {
				phi := dual.Add(phi0, dual.Mul(step, dual.C(e.Setup.Quirks.PhiStepAt(t))))
				for vec := 0; vec < 3; vec++ {
					a := dual.Vec3{in[0][3*vec], in[0][3*vec+1], in[0][3*vec+2]}
					r := a.RotateAxis(axis, phi)
					out = append(out, r[0], r[1], r[2])
				}
			}
			return out, nil
		}}
}

// carryFunc is the phi = 0 carry-over node. Its output has two rows of phi
// slots: row 0 is what C's first subpath uses, row 1 what every other
// subpath uses. In C-parity mode a phi step whose angle is exactly 0 is not
// rotated, so it keeps the lattice of the most recent rotation: an earlier
// step of the same subpath, or else the previous subpath's phi-final step
// (row 1), or the unrotated lattice for the first subpath (row 0). The node
// selects from the rotation node's output, so gradients flow through the
// substitution into the phi-final rotation. In spec mode both rows are the
// fresh rotation of every step.
func (e *Experiment) carryFunc() (selectFunc, []bool) {
	n := e.PhiSteps
	phis := e.PhiAngles()
	carried := make([]bool, n)
	src := make([]int, 0, 2*n*9)
	rotIdx := func(t int) int { return t * 9 }
	a0Idx := n * 9 // offset of the cell vector input (a0, b0, c0 first)
	zero := make([]bool, n)
	for t := range zero {
		zero[t] = phis[t] == 0
		if e.PhiZero != nil {
			zero[t] = e.PhiZero[t]
		}
	}
	lastNonzero := -1
	for t := 0; t < n; t++ {
		if !zero[t] {
			lastNonzero = t
		}
	}
	for row := 0; row < 2; row++ {
		latest := -1
		for t := 0; t < n; t++ {
			base := rotIdx(t)
			if e.Setup.Quirks.CarryOver && zero[t] {
				switch {
				case latest >= 0:
					base = rotIdx(latest)
				case row == 1 && lastNonzero >= 0:
					base = rotIdx(lastNonzero)
					carried[t] = true
				default:
					base = a0Idx
				}
			}
			if !zero[t] {
				latest = t
			}
			for i := 0; i < 9; i++ {
				src = append(src, base+i)
			}
		}
	}
	return selectFunc{Label: "phi0_carryover", Sizes: []int{n * 9, 18}, Src: src}, carried
}

// scalFunc: theta -> Na, Nb, Nc, Kahn factor, fudge, default_F, I_bg.
func (e *Experiment) scalFunc(defaults [scalLen]float64) Func {
	return dualFunc{Label: "scalars", Sizes: []int{e.Params.Len()}, Out: scalLen,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := paramView{e.Params, in[0]}
			fluence := v.get(PFluence, dual.C(0)) // sim always sets fluence
			water := v.get(PWater, dual.C(0))
			ibgV, dFluence, dWater := physics.WaterBackgroundGrad(fluence.V, water.V)
			ibg := dual.Apply2(ibgV, dFluence, dWater, fluence, water)
			return []dual.Num{
				v.get(PNa, dual.C(defaults[scalNa])),
				v.get(PNb, dual.C(defaults[scalNb])),
				v.get(PNc, dual.C(defaults[scalNc])),
				v.get(PPolar, dual.C(defaults[scalKahn])),
				v.get(PFudge, dual.C(defaults[scalFudge])),
				v.get(PDefaultF, dual.C(defaults[scalDefaultF])),
				ibg,
			}, nil
		}}
}

func checkFinite(name string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s[%d] is %g", name, i, x)
		}
	}
	return nil
}
