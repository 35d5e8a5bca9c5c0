package crand

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/dual"
)

// NormalMosaicUmat returns the rotation matrix (row-major) of a mosaic
// domain whose rotation vector is sigmaRad (radians) times three standard
// normal deviates, the normal quantiles of (r+1)/2 for the deviates r1,
// r2, r3 on (-1, 1) of MosaicDraw or HaltonDraw: a Gaussian mosaic spread
// of standard deviation sigmaRad about every axis (DIALS's sigma_m is
// that of the rocking axis), where C's cap bounds every turn by the
// spread and puts most domains near that bound. The turn is sigmaRad
// times the deviates' length about their direction, so its derivative
// with respect to sigmaRad is that length.
func NormalMosaicUmat(sigmaRad dual.Num, r1, r2, r3 float64) dual.Mat3 {
	z := [3]float64{normalDeviate(r1), normalDeviate(r2), normalDeviate(r3)}
	length := math.Sqrt(z[0]*z[0] + z[1]*z[1] + z[2]*z[2])
	if length == 0 {
		return dual.Identity3()
	}
	return axisTurn(z[0]/length, z[1]/length, z[2]/length, dual.Scale(length, sigmaRad))
}

// normalDeviate maps a deviate r on (-1, 1) to the standard normal
// quantile of (r+1)/2; the ends, which ran1 never returns, are clamped to
// the quantiles of float64's nearest interior probabilities.
func normalDeviate(r float64) float64 {
	p := (r + 1) / 2
	p = math.Min(math.Max(p, math.SmallestNonzeroFloat64), math.Nextafter(1, 0))
	return distuv.UnitNormal.Quantile(p)
}
