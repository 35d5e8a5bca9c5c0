package graph

import (
	"fmt"

	"gobragg/physics"
)

// pixelScale turns the kernel's per-pixel sum I into photons:
//
//	image = r_e^2 fluence I / steps * capture * polar * omega
//
// with capture, polar and omega the factors applied outside the sum (1
// where folded into it). It is the one place this scaling is written:
// the forward image, its vector-Jacobian product and the Jacobian all
// call it.
type pixelScale struct {
	fluence float64 // photons/m^2
	steps   float64 // C's normalisation: sources x mosaic domains x phi steps x oversample^2
}

// photons returns the pixel's photons, in C's order of operations:
// I*(r_e^2*fluence), /steps, then *capture, *polar, *omega.
func (s pixelScale) photons(I, omega, polar, capture float64) float64 {
	return I * (physics.ReSqr * s.fluence) / s.steps * capture * polar * omega
}

// scaleGrad holds the partial derivatives of a pixel's photons.
type scaleGrad struct {
	I                     float64 // photons per unit of I
	Omega, Polar, Capture float64 // photons per unit of each factor
	Fluence               float64 // photons per photon/m^2
}

// partials returns the partial derivatives of photons(I, omega, polar,
// capture) with respect to I, the three factors and the fluence.
func (s pixelScale) partials(I, omega, polar, capture float64) scaleGrad {
	perI := physics.ReSqr * s.fluence / s.steps
	return scaleGrad{
		I:       perI * capture * polar * omega,
		Omega:   perI * I * capture * polar,
		Polar:   perI * I * capture * omega,
		Capture: perI * I * polar * omega,
		Fluence: physics.ReSqr * I / s.steps * capture * polar * omega,
	}
}

// scaleFunc applies pixelScale to a span of the diffraction op's packed
// output (rows outI, outOmega, outPolar, outCapture of Span values each);
// its second input is theta, whose entry Fluence is the fluence.
type scaleFunc struct {
	Span    int
	NTheta  int
	Fluence int // index of the fluence in theta
	Steps   float64
}

func (f scaleFunc) Name() string   { return "scale" }
func (f scaleFunc) InSizes() []int { return []int{outRows * f.Span, f.NTheta} }
func (f scaleFunc) OutSize() int   { return f.Span }

func (f scaleFunc) scale(theta []float64) pixelScale {
	return pixelScale{fluence: theta[f.Fluence], steps: f.Steps}
}

func (f scaleFunc) Forward(in [][]float64, out []float64) error {
	s, n, p := f.scale(in[1]), f.Span, in[0]
	for i := range out {
		out[i] = s.photons(p[outI*n+i], p[outOmega*n+i], p[outPolar*n+i], p[outCapture*n+i])
	}
	return nil
}

func (f scaleFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	s, n, p, gp := f.scale(in[1]), f.Span, in[0], gIn[0]
	for i, g := range gOut {
		if g == 0 {
			continue
		}
		d := s.partials(p[outI*n+i], p[outOmega*n+i], p[outPolar*n+i], p[outCapture*n+i])
		gp[outI*n+i] = g * d.I
		gp[outOmega*n+i] = g * d.Omega
		gp[outPolar*n+i] = g * d.Polar
		gp[outCapture*n+i] = g * d.Capture
		gIn[1][f.Fluence] += g * d.Fluence
	}
	return nil
}

// newScaleFunc returns the scaling of exp's image for spans of span pixels.
func newScaleFunc(exp *Experiment, span int) (scaleFunc, error) {
	i := exp.Params.Index(PFluence)
	if i < 0 {
		return scaleFunc{}, fmt.Errorf("graph: the parameters have no %s (photons/m^2) to scale the image by", PFluence)
	}
	return scaleFunc{Span: span, NTheta: exp.Params.Len(), Fluence: i, Steps: exp.Steps}, nil
}
