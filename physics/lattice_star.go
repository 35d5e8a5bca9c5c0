package physics

// RecipDistance returns the reciprocal-space vector from the nearest lattice
// point (h0, k0, l0) to (h, k, l), in the units of the reciprocal vectors
// (nanoBragg uses Å⁻¹), as C's
//
//	dx_star = (h−h0)*a_star[1] + (k−k0)*b_star[1] + (l−l0)*c_star[1]
//
// and likewise for y and z. It is linear: ∂dx/∂h = aStar[0],
// ∂dx/∂k = bStar[0], ∂dx/∂l = cStar[0], ∂dx/∂aStar[0] = h−h0, and so on for
// the other components; h0, k0, l0 are held fixed.
//
// Note for callers: nanoBragg's main loop passes the a_star, b_star, c_star
// set up before the loops; the phi and mosaic rotations do not update them
// (only the unused integral_form branch does), so the Gaussian and top-hat
// shapes see unrotated reciprocal vectors.
func RecipDistance(h, k, l, h0, k0, l0 float64, aStar, bStar, cStar [3]float64) (dx, dy, dz float64) {
	eh, ek, el := h-h0, k-k0, l-l0
	dx = float64(float64(eh*aStar[0])+float64(ek*bStar[0])) + float64(el*cStar[0])
	dy = float64(float64(eh*aStar[1])+float64(ek*bStar[1])) + float64(el*cStar[1])
	dz = float64(float64(eh*aStar[2])+float64(ek*bStar[2])) + float64(el*cStar[2])
	return
}

// radStarSqr is C's rad_star_sqr:
// (dx*dx + dy*dy + dz*dz)*Na*Na*Nb*Nb*Nc*Nc, left to right.
func radStarSqr(dx, dy, dz, na, nb, nc float64) float64 {
	s := float64(float64(dx*dx)+float64(dy*dy)) + float64(dz*dz)
	return s * na * na * nb * nb * nc * nc
}

// LatticeGauss returns F_latt of nanoBragg's Gaussian crystal shape
// (-gauss_xtal) for the reciprocal-space offset (dx, dy, dz) from
// RecipDistance:
//
//	rad_star_sqr = (dx²+dy²+dz²)·Na²·Nb²·Nc²
//	F = Na·Nb·Nc·exp(−(rad_star_sqr/0.63·fudge))
func LatticeGauss(dxStar, dyStar, dzStar, na, nb, nc, fudge float64) float64 {
	f, _ := LatticeGaussExp(dxStar, dyStar, dzStar, na, nb, nc, fudge)
	return f
}

// LatticeGaussExp returns LatticeGauss (bit for bit) and its exponential
// e (F = Na·Nb·Nc·e), which LatticeGaussGradAt takes back so that a
// backward pass that has F need not evaluate exp again.
func LatticeGaussExp(dxStar, dyStar, dzStar, na, nb, nc, fudge float64) (f, e float64) {
	e = gaussFactor(gaussExponent(dxStar, dyStar, dzStar, na, nb, nc, fudge))
	return na * nb * nc * e, e
}

// gaussExponent is C's −(rad_star_sqr/0.63·fudge).
func gaussExponent(dx, dy, dz, na, nb, nc, fudge float64) float64 {
	return -(radStarSqr(dx, dy, dz, na, nb, nc) / 0.63 * fudge)
}

// LatticeGaussGrad returns LatticeGauss (bit for bit) and its partial
// derivatives with respect to dxStar, dyStar, dzStar, na, nb, nc and fudge.
func LatticeGaussGrad(dxStar, dyStar, dzStar, na, nb, nc, fudge float64) (f, ddx, ddy, ddz, dna, dnb, dnc, dfudge float64) {
	return LatticeGaussGradAt(gaussFactor(gaussExponent(dxStar, dyStar, dzStar, na, nb, nc, fudge)), dxStar, dyStar, dzStar, na, nb, nc, fudge)
}

// LatticeGaussGradAt is LatticeGaussGrad given the exponential e that
// LatticeGaussExp returned for the same arguments.
func LatticeGaussGradAt(e, dxStar, dyStar, dzStar, na, nb, nc, fudge float64) (f, ddx, ddy, ddz, dna, dnb, dnc, dfudge float64) {
	r := radStarSqr(dxStar, dyStar, dzStar, na, nb, nc)
	p := na * nb * nc
	f = p * e
	dr := -f * fudge / 0.63 // dF/d rad_star_sqr
	s := float64(float64(dxStar*dxStar)+float64(dyStar*dyStar)) + float64(dzStar*dzStar)
	n2 := na * na * nb * nb * nc * nc
	ddx = dr * 2 * dxStar * n2
	ddy = dr * 2 * dyStar * n2
	ddz = dr * 2 * dzStar * n2
	dna = nb*nc*e + dr*2*s*na*nb*nb*nc*nc
	dnb = na*nc*e + dr*2*s*nb*na*na*nc*nc
	dnc = na*nb*e + dr*2*s*nc*na*na*nb*nb
	dfudge = -f * r / 0.63
	return
}

// tophatRadiusSqr is nanoBragg's top-hat cutoff on rad_star_sqr·fudge.
const tophatRadiusSqr = 0.3969

// LatticeTophat returns F_latt of nanoBragg's top-hat spot shape
// (-tophat_spots): Na·Nb·Nc inside rad_star_sqr·fudge < 0.3969 and 0
// outside, rad_star_sqr being as in LatticeGauss.
func LatticeTophat(dxStar, dyStar, dzStar, na, nb, nc, fudge float64) float64 {
	r := radStarSqr(dxStar, dyStar, dzStar, na, nb, nc)
	inside := 0.0
	if r*fudge < tophatRadiusSqr {
		inside = 1
	}
	return na * nb * nc * inside
}

// LatticeTophatGrad returns LatticeTophat (bit for bit) and its partial
// derivatives with the same layout as LatticeGaussGrad. The function is a
// step, so its derivative is zero almost everywhere: ddx, ddy, ddz and
// dfudge are always 0, and dna, dnb, dnc are the derivatives of the plateau
// value Na·Nb·Nc (zero outside the spot). The moving edge (a delta function)
// is ignored.
func LatticeTophatGrad(dxStar, dyStar, dzStar, na, nb, nc, fudge float64) (f, ddx, ddy, ddz, dna, dnb, dnc, dfudge float64) {
	r := radStarSqr(dxStar, dyStar, dzStar, na, nb, nc)
	inside := 0.0
	if r*fudge < tophatRadiusSqr {
		inside = 1
	}
	f = na * nb * nc * inside
	dna, dnb, dnc = nb*nc*inside, na*nc*inside, na*nb*inside
	return
}
