package physics

// Polarization returns nanoBragg's polarization factor for an incident beam
// direction, a diffracted direction and the polarization axis, following C's
// polarization_factor step for step:
//
//	unitize incident, diffracted and axis
//	cos2θ = incident·diffracted, sin²2θ = 1 − cos²2θ
//	if kahn ≠ 0:  B_in = unit(axis × incident), E_in = unit(incident × B_in),
//	              ψ = −atan2(diffracted·B_in, diffracted·E_in)   (else ψ = 0)
//	P = 0.5·(1 + cos²2θ − kahn·cos(2ψ)·sin²2θ)
//
// kahn is the Kahn polarization factor (0 unpolarized, 1 fully polarized
// along axis). The vectors need not be unit length; a zero vector is treated
// as C treats it (unitized to zero). Unlike C, the arguments are copies, so
// the caller's vectors are not normalised in place. (C's side effect matters
// for parity elsewhere: after the first call of a pixel, nanoBragg builds the
// scattering vector of later sources from the re-unitized diffracted vector,
// which can differ from the first in the last bit, and its polar_vector stays
// unitized for the rest of the run.)
func Polarization(kahn float64, incident, diffracted, axis [3]float64) float64 {
	f := NewPolarFrame(incident, axis)
	return f.Factor(kahn, diffracted)
}

// PolarFrame is the part of the polarization factor that depends only on
// the incident direction and the polarization axis: their unit vectors and
// the unit B_in, E_in that define ψ. A kernel builds it once per source
// instead of once per pixel; its results are those of Polarization and
// PolarizationGrad bit for bit, which are written through it.
type PolarFrame struct {
	i, a [3]float64 // unit incident and axis
	im   float64    // |incident| before unitizing
	psi  psiState   // B_in and E_in (bo, eo unset)
}

// NewPolarFrame unitizes incident and axis and builds B_in and E_in.
func NewPolarFrame(incident, axis [3]float64) PolarFrame {
	var f PolarFrame
	f.i, f.im = unitize(incident)
	f.a, _ = unitize(axis)
	f.psi.b, f.psi.bm = unitize(cross(f.a, f.i))
	f.psi.e, f.psi.em = unitize(cross(f.i, f.psi.b))
	return f
}

// Factor is Polarization for this frame's incident direction and axis.
func (f *PolarFrame) Factor(kahn float64, diffracted [3]float64) float64 {
	d, _ := unitize(diffracted)
	c := dot(f.i, d)
	c2 := float64(c * c) // conversions keep each product rounded (no FMA)
	s2 := 1 - c2
	cos2psi := 1.0 // cos(2·0): ψ is 0 when kahn is
	if kahn != 0 {
		psi, _ := f.psiOf(d)
		cos2psi = cos(2 * psi)
	}
	return polarizationParts(kahn, c2, s2, cos2psi)
}

// polarizationParts is C's final formula given cos²2θ, sin²2θ and cos(2ψ).
func polarizationParts(kahn, c2, s2, cos2psi float64) float64 {
	return 0.5 * (1.0 + c2 - float64(kahn*cos2psi*s2))
}

// psiState keeps the intermediate values of the ψ computation for the
// backward pass.
type psiState struct {
	b, e   [3]float64 // unit B_in and E_in
	bm, em float64    // magnitudes before unitizing
	bo, eo float64    // diffracted·B_in, diffracted·E_in
}

// psiOf returns ψ = −atan2(d·B_in, d·E_in) for unit d.
func (f *PolarFrame) psiOf(d [3]float64) (float64, psiState) {
	st := f.psi
	st.eo = dot(d, st.e)
	st.bo = dot(d, st.b)
	return -atan2(st.bo, st.eo), st
}

// PolarizationGrad returns Polarization (bit for bit) and its gradient with
// respect to incident and diffracted as passed (the unitization is part of
// the function being differentiated, so the gradients are orthogonal to the
// respective vectors) and with respect to kahn. The axis is treated as
// constant.
//
// dKahn = −0.5·cos(2ψ)·sin²2θ uses the true ψ even when kahn == 0 (where the
// value ignores ψ), so it is the derivative of the function of kahn and not
// of C's branch. Where ψ is undefined (axis parallel to incident, or the
// diffracted ray along the beam) its gradient terms are zero.
func PolarizationGrad(kahn float64, incident, diffracted, axis [3]float64) (p float64, dIncident, dDiffracted [3]float64, dKahn float64) {
	f := NewPolarFrame(incident, axis)
	return f.Grad(kahn, diffracted)
}

// Grad is PolarizationGrad for this frame's incident direction and axis.
func (f *PolarFrame) Grad(kahn float64, diffracted [3]float64) (p float64, dIncident, dDiffracted [3]float64, dKahn float64) {
	i, im, a := f.i, f.im, f.a
	d, dm := unitize(diffracted)
	c := dot(i, d)
	c2 := float64(c * c) // conversions keep each product rounded (no FMA)
	s2 := 1 - c2
	st := f.psi
	st.eo = dot(d, st.e)
	st.bo = dot(d, st.b)
	// cos 2ψ and sin 2ψ of ψ = −atan2(bo, eo) from bo and eo directly
	// (ψ = 0 where both vanish); only the value keeps C's trigonometry.
	r2 := st.eo*st.eo + st.bo*st.bo
	cos2psi, sin2psi := 1.0, 0.0
	if r2 != 0 {
		cos2psi = (st.eo*st.eo - st.bo*st.bo) / r2
		sin2psi = -2 * st.bo * st.eo / r2
	}
	if kahn != 0 {
		p = polarizationParts(kahn, c2, s2, cos(2*-atan2(st.bo, st.eo)))
	} else {
		p = polarizationParts(kahn, c2, s2, 1) // cos(2·0)
	}
	dKahn = -0.5 * cos2psi * s2

	// Backward pass. P = 0.5(1 + c² − kahn·cos2ψ·(1 − c²)).
	gc := c * (1 + kahn*cos2psi)
	gi := scale(gc, d)
	gd := scale(gc, i)
	if kahn != 0 {
		gpsi := kahn * sin2psi * s2
		if r2 != 0 && gpsi != 0 {
			// ψ = −atan2(bo, eo)
			gbo := -gpsi * st.eo / r2
			geo := gpsi * st.bo / r2
			gd = add(gd, add(scale(geo, st.e), scale(gbo, st.b)))
			ge := scale(geo, d)
			gb := scale(gbo, d)
			// E_in = unit(Ec), Ec = i × B_in
			gec := unitizeBack(st.e, st.em, ge)
			gi = add(gi, cross(st.b, gec))
			gb = add(gb, cross(gec, i))
			// B_in = unit(Bc), Bc = a × i
			gbc := unitizeBack(st.b, st.bm, gb)
			gi = add(gi, cross(gbc, a))
		}
	}
	dIncident = unitizeBack(i, im, gi)
	dDiffracted = unitizeBack(d, dm, gd)
	return
}
