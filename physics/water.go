package physics

// Physical constants as nanoBragg defines them (its globals r_e_sqr,
// Avogadro, water_F and water_MW).
const (
	ReSqr    = 7.94079248018965e-30 // Thomson cross section r_e^2, m^2
	Avogadro = 6.02214179e23        // 1/mol
	WaterF   = 2.57                 // forward structure factor of water, electrons
	WaterMW  = 18.0                 // molar mass of water, g/mol
)

// WaterBackground returns nanoBragg's I_bg, the scattering of a slab of
// water added to every pixel before the diffraction terms (later scaled
// like them by r_e^2 fluence / steps and the pixel's factors):
//
//	I_bg = F_bg^2 r_e^2 fluence water^3 1e6 Avogadro / water_MW
//
// for fluence in photons/m^2 and the water thickness in metres. It is
// evaluated left to right in float64 as C does, F_bg*F_bg rounded first,
// so it returns C's value bit for bit.
func WaterBackground(fluence, water float64) float64 {
	f := WaterF // a variable: C rounds F_bg*F_bg, a Go constant would not
	ibg := f * f * ReSqr * fluence
	ibg = ibg * water * water * water
	return ibg * 1e6 * Avogadro / WaterMW
}

// WaterBackgroundGrad returns WaterBackground(fluence, water) and its
// partial derivatives dFluence with respect to the fluence (per
// photon/m^2) and dWater with respect to the water thickness (per metre):
// I_bg/fluence and 3 I_bg/water, written without the division so that
// they hold at fluence 0 or water 0.
func WaterBackgroundGrad(fluence, water float64) (ibg, dFluence, dWater float64) {
	f := WaterF
	c := f * f * ReSqr * 1e6 * Avogadro / WaterMW // I_bg per fluence per m^3
	w2 := water * water
	return WaterBackground(fluence, water), c * w2 * water, 3 * c * fluence * w2
}
