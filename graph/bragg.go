package graph

import (
	"fmt"
	"math"

	"gobragg/detector"
	"gobragg/dual"
)

// BraggView is the crystal and the detector of an experiment at its current
// parameters, as dual numbers whose partials are taken with respect to
// chosen parameters (graph units): what predicting spot positions from the
// Bragg condition needs (package spots), with exact derivatives.
type BraggView struct {
	// A, B, C are the real-space cell vectors in metres, rotated about the
	// spindle to the mean angle of the frame's phi steps.
	A, B, C dual.Vec3
	// Geometry is the detector; Geometry.Beam the incident direction.
	Geometry detector.Geometry
	// LambdaM is the central wavelength in metres.
	LambdaM dual.Num
	// Curved is set for a spherical detector (-curved_det).
	Curved bool
	// Spindle is the unit rotation axis and HalfOscRad half the angle the
	// frame's phi steps cover (each step spans phistep around its
	// sample), in radians: 0 for a still.
	Spindle    dual.Vec3
	HalfOscRad float64
}

// BraggView returns the experiment's Bragg view with one derivative slot
// per name of seeds (graph parameter names, in that order).
func (e *Experiment) BraggView(seeds []string) (BraggView, error) {
	th := make([]dual.Num, e.Params.Len())
	for i, x := range e.Params.values {
		th[i] = dual.C(x)
	}
	for j, name := range seeds {
		i := e.Params.Index(name)
		if i < 0 {
			return BraggView{}, fmt.Errorf("graph: %s is not a parameter of this experiment", name)
		}
		th[i] = dual.Var(e.Params.values[i], j, len(seeds))
	}
	v := paramView{e.Params, th}
	geo, err := e.geometry(v)
	if err != nil {
		return BraggView{}, err
	}
	cell, err := e.cellFunc().(dualFunc).Body([][]dual.Num{th})
	if err != nil {
		return BraggView{}, err
	}
	// The mean of the sampled angles phi0 + step*PhiStepAt(t), t = 0 ..
	// PhiSteps-1: the oscillation's middle, or half a step before it in
	// c-parity.
	phi := v.get(PPhi, dual.C(0))
	step := v.get(PPhiStep, dual.C(0))
	if n := e.PhiSteps; n > 0 {
		q := e.Setup.Quirks
		phi = dual.Add(phi, dual.Scale((q.PhiStepAt(0)+q.PhiStepAt(n-1))/2, step))
	}
	axis := dual.V3(geo.Spindle[0], geo.Spindle[1], geo.Spindle[2])
	var abc [3]dual.Vec3
	for k := range abc {
		abc[k] = dual.Vec3{cell[3*k], cell[3*k+1], cell[3*k+2]}.RotateAxis(axis, phi)
	}
	return BraggView{A: abc[0], B: abc[1], C: abc[2], Geometry: geo,
		LambdaM: v.get(PLambda, e.SourceGrid.Lambda0M), Curved: e.Setup.Curved,
		Spindle: axis, HalfOscRad: math.Abs(step.V) * float64(max(e.PhiSteps, 1)) / 2}, nil
}

// ReciprocalAngstrom returns the reciprocal cell vectors a*, b*, c* of the
// view in 1/Angstrom (a*.a = 1).
func (v BraggView) ReciprocalAngstrom() [3][3]float64 {
	var abc [3][3]float64
	for i, vec := range [3]dual.Vec3{v.A, v.B, v.C} {
		for c := range 3 {
			abc[i][c] = vec[c].V * 1e10
		}
	}
	cross := func(x, y [3]float64) [3]float64 {
		return [3]float64{x[1]*y[2] - x[2]*y[1], x[2]*y[0] - x[0]*y[2], x[0]*y[1] - x[1]*y[0]}
	}
	bc := cross(abc[1], abc[2])
	vol := abc[0][0]*bc[0] + abc[0][1]*bc[1] + abc[0][2]*bc[2]
	var out [3][3]float64
	for i, r := range [3][3]float64{bc, cross(abc[2], abc[0]), cross(abc[0], abc[1])} {
		for c := range 3 {
			out[i][c] = r[c] / vol
		}
	}
	return out
}
