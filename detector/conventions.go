package detector

// axes are the lab-frame vectors a convention assigns before any rotation.
type axes struct {
	beam, fdet, sdet, odet, twotheta, polar, spindle [3]float64
}

// conventionAxes returns the vectors nanoBragg assigns for convention c,
// and false for Custom (which keeps the user's vectors).
func conventionAxes(c Convention) (axes, bool) {
	switch c {
	case ADXV:
		return axes{
			beam: [3]float64{0, 0, 1}, fdet: [3]float64{1, 0, 0}, sdet: [3]float64{0, -1, 0}, odet: [3]float64{0, 0, 1},
			twotheta: [3]float64{-1, 0, 0}, polar: [3]float64{1, 0, 0}, spindle: [3]float64{1, 0, 0},
		}, true
	case MOSFLM, DENZO:
		return axes{
			beam: [3]float64{1, 0, 0}, fdet: [3]float64{0, 0, 1}, sdet: [3]float64{0, -1, 0}, odet: [3]float64{1, 0, 0},
			twotheta: [3]float64{0, 0, -1}, polar: [3]float64{0, 0, 1}, spindle: [3]float64{0, 0, 1},
		}, true
	case XDS:
		return axes{
			beam: [3]float64{0, 0, 1}, fdet: [3]float64{1, 0, 0}, sdet: [3]float64{0, 1, 0}, odet: [3]float64{0, 0, 1},
			twotheta: [3]float64{1, 0, 0}, polar: [3]float64{1, 0, 0}, spindle: [3]float64{1, 0, 0},
		}, true
	case DIALS:
		return axes{
			beam: [3]float64{0, 0, 1}, fdet: [3]float64{1, 0, 0}, sdet: [3]float64{0, 1, 0}, odet: [3]float64{0, 0, 1},
			twotheta: [3]float64{0, 1, 0}, polar: [3]float64{0, 1, 0}, spindle: [3]float64{0, 1, 0},
		}, true
	}
	return axes{}, false
}

// ForcedPivot returns the pivot convention c imposes and true, or false
// for Custom, which keeps the requested pivot.
func ForcedPivot(c Convention) (Pivot, bool) {
	switch c {
	case ADXV, MOSFLM, DENZO:
		return PivotBeam, true
	case XDS, DIALS:
		return PivotSample, true
	}
	return 0, false
}
