package detector

// Convention names a detector/beam axis convention of nanoBragg.
// The order matches nanoBragg's enum.
type Convention int

const (
	Custom Convention = iota
	ADXV
	MOSFLM
	XDS
	DIALS
	DENZO
)

// String returns the lower-case name nanoBragg prints ("mosflm convention selected").
func (c Convention) String() string {
	switch c {
	case ADXV:
		return "adxv"
	case MOSFLM:
		return "mosflm"
	case XDS:
		return "xds"
	case DIALS:
		return "dials"
	case DENZO:
		return "denzo"
	}
	return "custom"
}

// Pivot says which point stays fixed when the detector is rotated.
type Pivot int

const (
	// PivotSample keeps the near point (Fclose, Sclose, close_distance) fixed.
	PivotSample Pivot = iota
	// PivotBeam keeps the direct-beam spot (Fbeam, Sbeam) fixed.
	PivotBeam
)
