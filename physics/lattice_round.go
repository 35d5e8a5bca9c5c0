package physics

import "math"

// roundShapeScale is nanoBragg's correction for the square root of the
// volume ratio between a cube and the inscribed sphere.
const roundShapeScale = 0.723601254558268

// LatticeRound returns F_latt of an ellipsoidal crystal of na×nb×nc cells,
// as nanoBragg computes it for -round_xtal:
//
//	hrad² = (h−h0)²·Na² + (k−k0)²·Nb² + (l−l0)²·Nc²
//	F     = Na·Nb·Nc·0.723601254558268·Sinc3(π·sqrt(hrad²·fudge))
//
// in C's order. (h0, k0, l0) is the nearest reciprocal-lattice point
// (RoundHalfUp of h, k, l). Next to the peak C's sinc3 cancels: its relative
// error is about 1e-17/(hrad²·fudge), total below hrad² ≈ 1e-17; the value
// keeps that behaviour for parity.
func LatticeRound(h, k, l, h0, k0, l0, na, nb, nc, fudge float64) float64 {
	return na * nb * nc * roundShapeScale * Sinc3(roundArg(h, k, l, h0, k0, l0, na, nb, nc, fudge))
}

// roundArg is the sinc3 argument π·sqrt(hrad²·fudge) in C's order.
func roundArg(h, k, l, h0, k0, l0, na, nb, nc, fudge float64) float64 {
	return math.Pi * math.Sqrt(hradSqr(h, k, l, h0, k0, l0, na, nb, nc)*fudge)
}

// hradSqr is the squared radius in hkl space scaled by the crystal size, in
// C's order; products are rounded before each sum.
func hradSqr(h, k, l, h0, k0, l0, na, nb, nc float64) float64 {
	return float64(float64((h-h0)*(h-h0)*na*na)+float64((k-k0)*(k-k0)*nb*nb)) + float64((l-l0)*(l-l0)*nc*nc)
}

// LatticeRoundGrad returns LatticeRound (bit for bit) and its partial
// derivatives with respect to h, k, l, na, nb, nc and fudge, with h0, k0, l0
// held fixed (they are piecewise constant). The derivative is that of the
// exact sphere transform; it is finite at hrad² = 0 (no 1/sqrt singularity):
// dF/dq = Na·Nb·Nc·0.7236…·Sinc3DxOverX(π√q)·π²/2 with q = hrad²·fudge.
// The ∂/∂N terms use the exact sinc3 value, not C's cancelled one.
// A negative q (negative fudge) gives NaN, as the value does.
func LatticeRoundGrad(h, k, l, h0, k0, l0, na, nb, nc, fudge float64) (f, dh, dk, dl, dna, dnb, dnc, dfudge float64) {
	r := hradSqr(h, k, l, h0, k0, l0, na, nb, nc)
	x := roundArg(h, k, l, h0, k0, l0, na, nb, nc, fudge)
	p := na * nb * nc * roundShapeScale
	f = p * Sinc3(x)
	s := sinc3Accurate(x)                               // C's Sinc3 cancels near the peak
	dq := p * Sinc3DxOverX(x) * (math.Pi * math.Pi / 2) // dF/dq
	dr := dq * fudge                                    // dF/d hrad²
	eh, ek, el := h-h0, k-k0, l-l0
	dh = dr * 2 * eh * na * na
	dk = dr * 2 * ek * nb * nb
	dl = dr * 2 * el * nc * nc
	dna = nb*nc*roundShapeScale*s + dr*2*eh*eh*na
	dnb = na*nc*roundShapeScale*s + dr*2*ek*ek*nb
	dnc = na*nb*roundShapeScale*s + dr*2*el*el*nc
	dfudge = dq * r
	return
}
