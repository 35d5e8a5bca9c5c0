package detector

import (
	"fmt"

	"gobragg/dual"
)

// LogLines are nanoBragg's stdout lines about the detector, grouped by where
// C prints them so a caller can interleave them with the rest of the log.
type LogLines struct {
	// Warnings come before the program banner, while the axes are set up.
	Warnings []string
	// Setup follows the interpolation/Fdump messages: the convention line,
	// the pivot line and "XDS incident beam: ...".
	Setup []string
	// Distance is the "  distance=... detsize=... pixel=..." summary line,
	// printed just before the sensor-thickness line.
	Distance string
	// Summary follows the sensor-thickness line: Xbeam/Fbeam/Xclose/Fclose,
	// the axis directions, beam, spindle, polarization normal and the DIALS
	// origin (up to, not including, the roi line).
	Summary []string
}

// Log returns the lines C prints about this detector, in C's wording and
// %g formatting.
func (g Geometry) Log() LogLines {
	var l LogLines
	l.Warnings = append(l.Warnings, g.Warnings...)
	l.Setup = append(l.Setup, g.Convention.String()+" convention selected.")
	if g.Pivot == PivotSample {
		l.Setup = append(l.Setup, "pivoting detector around sample")
	} else {
		l.Setup = append(l.Setup, "pivoting detector around direct beam spot")
	}
	l.Setup = append(l.Setup, "XDS incident beam: "+cg3(g.IncidentBeamInDetector(), " "))

	l.Distance = fmt.Sprintf("  distance=%s detsize=%sx%s  pixel=%s meters (%dx%d pixels)",
		cg(g.DistanceM.V), cg(g.DetsizeFM), cg(g.DetsizeSM), cg(g.PixelSizeM), g.FPixels, g.SPixels)

	polarNormal := g.Beam.Cross(dual.V3(g.Polar[0], g.Polar[1], g.Polar[2])).Values()
	l.Summary = []string{
		"  Xbeam=" + cg(g.XbeamM) + " Ybeam=" + cg(g.YbeamM),
		"  Fbeam=" + cg(g.FbeamM.V) + " Sbeam=" + cg(g.SbeamM.V),
		"  Xclose=" + cg(g.XcloseM) + " Yclose=" + cg(g.YcloseM),
		"  Fclose=" + cg(g.FcloseM.V) + " Sclose=" + cg(g.ScloseM.V),
		"  DIRECTION_OF_DETECTOR_X-AXIS= " + cg3(g.Fdet.Values(), " "),
		"  DIRECTION_OF_DETECTOR_Y-AXIS= " + cg3(g.Sdet.Values(), " "),
		"  DIRECTION_OF_DETECTOR_Z-AXIS= " + cg3(g.Odet.Values(), " "),
		"  INCIDENT_BEAM_DIRECTION= " + cg3(g.Beam.Values(), " "),
		"  spindle ROTATION_AXIS= " + cg3(g.Spindle, " "),
		"  POLARIZATION_PLANE_NORMAL= " + cg3(polarNormal, " "),
		"  dials origin= " + cg3(values3(g.DialsOriginMM), " "),
	}
	return l
}

func values3(v [3]dual.Num) [3]float64 { return [3]float64{v[0].V, v[1].V, v[2].V} }
