package config

import "gobragg/detector"

// EffectivePivot returns the pivot the detector set-up uses.
//
// In ModeCParity it is nanoBragg's: the MOSFLM, ADXV and DENZO conventions
// force the beam pivot and XDS and DIALS the sample pivot whatever -pivot,
// -distance, -twotheta, -Xbeam ... asked for; only the custom convention
// keeps s.Pivot (golden: mosflm_pivot_flag_overridden, mosflm_twotheta,
// xds_xbeam_only, close_distance_roty).
//
// In ModeSpec an explicit -pivot wins, as the spec says ("-pivot SHALL
// override"); without -pivot the convention's pivot applies as in C, and the
// custom convention keeps s.Pivot.
func (s *Settings) EffectivePivot() detector.Pivot {
	if s.Convention == detector.Custom {
		return s.Pivot
	}
	if s.Mode == ModeSpec && s.PivotGiven {
		return s.Pivot
	}
	return ConventionPivot(s.Convention)
}

// ConventionPivot is the pivot nanoBragg's detector set-up forces for a
// convention: beam for MOSFLM, ADXV and DENZO, sample for XDS and DIALS.
// For Custom it returns PivotBeam (C's initial value), which callers should
// not rely on.
func ConventionPivot(c detector.Convention) detector.Pivot {
	switch c {
	case detector.XDS, detector.DIALS:
		return detector.PivotSample
	}
	return detector.PivotBeam
}

// UsePix0 reports whether the detector origin should be taken from
// Pix0Vector: in ModeSpec when -pix0_vector or -pix0_vector_mm was given. In
// ModeCParity never: nanoBragg parses the vector but always rebuilds the
// origin from the beam centre or near point and the distance (golden:
// custom_vectors_pix0 is byte-identical to custom_vectors).
func (s *Settings) UsePix0() bool {
	return s.Mode == ModeSpec && s.Pix0Given
}
