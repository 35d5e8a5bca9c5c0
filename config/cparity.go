package config

import "gobragg/detector"

// The functions in this file are nanoBragg.c's argument-parsing side effects
// that change results. They run only in ModeCParity. Each comes from C's
// substring matching (strstr) or from a test on argc, and each names the
// golden case (shared/golden/manifest.json) that pins it.

// cParityMissetSeed: in C "-misset_seed S X Y" also matches the -misset
// option, which (when at least three arguments follow) reads them as misset
// angles in degrees with atof, so -misset_seed after -misset random replaces
// the random orientation by the angles (S, atof(X), atof(Y)).
// Golden: misset_seed_after_random (angles 12345, atof("-N") = 0, 5 degrees);
// misset_random_seeded shows that a later -misset random wins again.
func cParityMissetSeed(c *ctx) {
	if c.idx+3 >= len(c.args) {
		return
	}
	s := c.s
	s.Misset = MissetAngles
	for k := 0; k < 3; k++ {
		s.MissetAngles[k] = cAtof(c.args[c.idx+1+k]) / rtd
	}
}

// cParityTwothetaAxis: in C "-twotheta_axis X Y Z" also matches -twotheta,
// which sets the two-theta angle to X degrees and selects the sample pivot.
// Golden: custom_twotheta_close (a later -twotheta 12 overrides the angle).
func cParityTwothetaAxis(c *ctx, x Vec3) {
	c.s.Twotheta = x[0] / rtd
	c.s.Pivot = detector.PivotSample
}

// cParityCurvedCounts: C only honours -curved_det when another argument
// follows it (its test is argc > i+1). Golden: curved_det (followed by
// -oversample).
func cParityCurvedCounts(c *ctx) bool {
	return c.idx+1 < len(c.args)
}

// The remaining c-parity differences live where they act:
//   - header.go: a TWOTHETA header key does not set the detector two-theta
//     (C stores it in an unrelated variable); no golden case.
//   - pivot.go: EffectivePivot lets MOSFLM, ADXV and DENZO force the beam
//     pivot and XDS and DIALS the sample pivot even after -pivot (golden:
//     mosflm_pivot_flag_overridden, mosflm_twotheta, xds_xbeam_only), and
//     UsePix0 is false (golden: custom_vectors_pix0, supervisor_roi).
//   - options.go: -misset and -detector_abs accept any word containing
//     "rand" / "inf", and -pivot any word containing "beam" / "sample".
