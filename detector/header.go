package detector

import "gobragg/physics"

// HeaderValues are the detector values nanoBragg writes into an SMV header,
// in the header's units: millimetres, pixels and degrees.
type HeaderValues struct {
	Size1, Size2                     int // SIZE1 (fast), SIZE2 (slow)
	PixelSizeMM                      float64
	DistanceMM                       float64
	BeamCenterXMM, BeamCenterYMM     float64 // Xbeam, Ybeam
	ADXVCenterXMM, ADXVCenterYMM     float64 // Fbeam, detsize_s - Sbeam
	MOSFLMCenterXMM, MOSFLMCenterYMM float64 // Sbeam - pixel/2, Fbeam - pixel/2
	DenzoXBeamMM, DenzoYBeamMM       float64 // Sbeam, Fbeam
	DialsOriginMM                    [3]float64
	XDSOrgX, XDSOrgY                 float64 // pixels
	CloseDistanceMM                  float64
	TwoThetaDeg                      float64
}

// rtd is nanoBragg's RTD = 180.0*M_1_PI, evaluated at run time as C does.
var rtd = physics.RTD

// Header returns the SMV header values C writes for this detector, each
// computed with C's expression (twoThetaRad is the detector two-theta
// option in radians; C writes it times 180/pi). The int-image writer
// computes DENZO_X_BEAM as Sbeam-0.0*pixel and the noise-image writer as
// Sbeam+0.0*pixel; both equal Sbeam, which is returned.
func (g Geometry) Header(twoThetaRad float64) HeaderValues {
	fbeam, sbeam, pixel := g.FbeamM.V, g.SbeamM.V, g.PixelSizeM
	return HeaderValues{
		Size1:           g.FPixels,
		Size2:           g.SPixels,
		PixelSizeMM:     pixel * 1000.0,
		DistanceMM:      g.DistanceM.V * 1000.0,
		BeamCenterXMM:   g.XbeamM * 1000.0,
		BeamCenterYMM:   g.YbeamM * 1000,
		ADXVCenterXMM:   fbeam * 1000.0,
		ADXVCenterYMM:   (g.DetsizeSM - sbeam) * 1000,
		MOSFLMCenterXMM: (sbeam - 0.5*pixel) * 1000.0,
		MOSFLMCenterYMM: (fbeam - 0.5*pixel) * 1000,
		DenzoXBeamMM:    (sbeam - 0.0*pixel) * 1000.0,
		DenzoYBeamMM:    (fbeam - 0.0*pixel) * 1000,
		DialsOriginMM:   values3(g.DialsOriginMM),
		XDSOrgX:         g.ORGX.V,
		XDSOrgY:         g.ORGY.V,
		CloseDistanceMM: g.CloseDistanceM.V * 1000.0,
		TwoThetaDeg:     twoThetaRad * rtd,
	}
}
