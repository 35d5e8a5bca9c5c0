package physics

// SolidAngle returns the solid angle (sr) of a detector pixel of side
// pixelSizeM seen from the sample at distance airpathM, with the obliquity
// factor closeDistanceM/airpathM, in nanoBragg's order:
// pixel*pixel/airpath/airpath*close_distance/airpath. With pointPixel
// (-point_pixel) it is the inverse-square law alone, 1/airpath/airpath.
func SolidAngle(pixelSizeM, airpathM, closeDistanceM float64, pointPixel bool) float64 {
	if pointPixel {
		return 1.0 / airpathM / airpathM
	}
	return pixelSizeM * pixelSizeM / airpathM / airpathM * closeDistanceM / airpathM
}

// SolidAngleGrad returns SolidAngle (bit for bit) and its partial
// derivatives with respect to airpathM, closeDistanceM and pixelSizeM (the
// last two are 0 for a point pixel).
func SolidAngleGrad(pixelSizeM, airpathM, closeDistanceM float64, pointPixel bool) (omega, dAirpath, dClose, dPixel float64) {
	omega = SolidAngle(pixelSizeM, airpathM, closeDistanceM, pointPixel)
	if pointPixel {
		return omega, -2 * omega / airpathM, 0, 0
	}
	a3 := airpathM * airpathM * airpathM
	return omega, -3 * omega / airpathM, pixelSizeM * pixelSizeM / a3, 2 * pixelSizeM * closeDistanceM / a3
}

// CaptureFraction returns the fraction of the photons on a ray that are
// absorbed in detector layer number layer (0 is the front), for layers
// thickStepM thick of a sensor with attenuation coefficient muPerM (1/m),
// the ray meeting the sensor with parallax = diffracted·odet (the cosine of
// its angle to the normal). As in nanoBragg:
//
//	exp(−layer·step·mu/parallax) − exp(−(layer+1)·step·mu/parallax)
//
// where the integer layer is negated before it is converted to float64.
func CaptureFraction(layer int, thickStepM, muPerM, parallax float64) float64 {
	a0, a1 := captureExponents(layer, thickStepM, muPerM, parallax)
	return exp(a0) - exp(a1)
}

// captureExponents returns C's two exponents −layer·step·mu/parallax and
// −(layer+1)·step·mu/parallax (the int is negated before conversion).
func captureExponents(layer int, thickStepM, muPerM, parallax float64) (a0, a1 float64) {
	return float64(-layer) * thickStepM * muPerM / parallax, float64(-(layer + 1)) * thickStepM * muPerM / parallax
}

// CaptureFractionGrad returns CaptureFraction (bit for bit) and its partial
// derivatives with respect to parallax, thickStepM and muPerM.
func CaptureFractionGrad(layer int, thickStepM, muPerM, parallax float64) (f, dParallax, dThickStep, dMu float64) {
	a0, a1 := captureExponents(layer, thickStepM, muPerM, parallax)
	e0, e1 := exp(a0), exp(a1)
	f = e0 - e1
	l0, l1 := float64(layer), float64(layer+1)
	w := l1*e1 - l0*e0 // d f / d(step·mu/parallax)
	dParallax = -w * thickStepM * muPerM / (parallax * parallax)
	dThickStep = w * muPerM / parallax
	dMu = w * thickStepM / parallax
	return
}
