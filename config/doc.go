// Package config reads gobragg's command line: every option of nanoBragg.c,
// under the same spellings (plus the shortened spellings that C's substring
// matching lets users type, each listed explicitly), with the same meaning,
// units and defaults, and gobragg's own -mode, -pngfile and -help. Parse
// converts the values to SI units in a Settings (metres, radians; the cell
// edges stay in Angstrom for bit parity) exactly as C does; Resolve then
// fills in what C derives before rendering (pixel counts, fluence, ROI,
// phi/divergence/dispersion/sensor/mosaic sampling) and validates. Usage is
// generated from the same option table.
//
// Mistakes are errors, never silently ignored as in C: an unknown option
// (with the nearest known one suggested), a missing value, a value that is
// not a finite number, or an impossible geometry gives a *UsageError that
// names the option.
//
// In ModeSpec (the default) each option does what its documentation says.
// ModeCParity also reproduces the C parser's side effects that change
// results, each pinned by a golden case:
//
//   - -misset_seed S X Y is also read as -misset S atof(X) atof(Y) when three
//     arguments follow (misset_seed_after_random);
//   - -twotheta_axis X Y Z also sets two-theta to X degrees and the sample
//     pivot (custom_twotheta_close);
//   - -curved_det counts only when another argument follows it (curved_det);
//   - -printout_pixel also turns on -printout (console only);
//   - -pix0_vector / -pix0_vector_mm are parsed but not used: UsePix0 is false
//     (custom_vectors_pix0);
//   - MOSFLM, ADXV and DENZO force the beam pivot and XDS and DIALS the sample
//     pivot even after -pivot: EffectivePivot (mosflm_pivot_flag_overridden);
//   - an -img/-mask TWOTHETA header key is ignored.
//
// In both modes options apply in argument order and later ones win, with
// their side effects on the pivot (-distance, -Xbeam, -Ybeam: beam;
// -close_distance, -Xclose, -Yclose, -ORGX, -ORGY, -twotheta: sample;
// -pivot) and on the convention (-mosflm, -xds, -adxv, -denzo, -dials; any
// custom vector option selects the custom convention); -img and -mask
// headers are read first (mask, then img), as C does.
package config
