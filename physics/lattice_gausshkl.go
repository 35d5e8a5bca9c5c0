package physics

// LatticeGaussHKL returns F_latt of a Gaussian spot in fractional Miller
// indices (cctbx nanoBragg's GAUSS shape, the one diffBragg refines with
// Ncells_abc):
//
//	hrad² = (h−h0)²·Na² + (k−k0)²·Nb² + (l−l0)²·Nc²
//	F     = Na·Nb·Nc·exp(−hrad²/0.63·fudge)
//
// Unlike LatticeGauss (bl831 nanoBragg's -gauss_xtal, whose width is one
// radius in Å⁻¹ set by Na·Nb·Nc), the spot is an ellipsoid whose widths
// along a*, b* and c* are 1/Na, 1/Nb and 1/Nc of a reciprocal-lattice
// spacing, so a crystal of unequal extents along its axes gives spots of
// unequal widths. (h0, k0, l0) is the nearest reciprocal-lattice point.
func LatticeGaussHKL(h, k, l, h0, k0, l0, na, nb, nc, fudge float64) float64 {
	return na * nb * nc * gaussFactor(-(hradSqr(h, k, l, h0, k0, l0, na, nb, nc) / 0.63 * fudge))
}

// LatticeGaussHKLGrad returns LatticeGaussHKL (bit for bit) and its
// partial derivatives with respect to h, k, l, na, nb, nc and fudge, with
// h0, k0, l0 held fixed (they are piecewise constant).
func LatticeGaussHKLGrad(h, k, l, h0, k0, l0, na, nb, nc, fudge float64) (f, dh, dk, dl, dna, dnb, dnc, dfudge float64) {
	r := hradSqr(h, k, l, h0, k0, l0, na, nb, nc)
	e := gaussFactor(-(r / 0.63 * fudge))
	f = na * nb * nc * e
	dr := -f * fudge / 0.63 // dF/d hrad²
	eh, ek, el := h-h0, k-k0, l-l0
	dh = dr * 2 * eh * na * na
	dk = dr * 2 * ek * nb * nb
	dl = dr * 2 * el * nc * nc
	dna = nb*nc*e + dr*2*eh*eh*na
	dnb = na*nc*e + dr*2*ek*ek*nb
	dnc = na*nb*e + dr*2*el*el*nc
	dfudge = -f * r / 0.63
	return
}
