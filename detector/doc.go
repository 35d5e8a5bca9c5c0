// Package detector builds nanoBragg's detector geometry: the fast, slow and
// normal axes, the detector origin pix0 (the corner of the first pixel, from
// the sample, in metres), the direct-beam and near-point coordinates and the
// XDS and DIALS origins, for every beam convention (MOSFLM, DENZO, ADXV, XDS,
// DIALS, CUSTOM) and both pivots.
//
// Build follows nanoBragg.c step for step: convention defaults for the beam
// centre and near point, the per-convention axis vectors and forced pivots,
// unitizing the axes (auto-generating the normal when it is not a unit
// vector), the ratio between the beam and the rotated normal, the sample or
// beam pivot, the detector rotations about x, y, z and the two-theta swing,
// and the final recomputation of Fclose, Sclose, close_distance, Fbeam,
// Sbeam and distance. Every quantity that depends on a continuous experiment
// parameter (distance, close distance, beam centre, near point, ORGX/ORGY,
// detector rotations, two-theta) is a dual.Num, so seeding those inputs gives
// the exact Jacobian of the geometry while the values equal C's doubles.
// C's quirks are kept: the beam/normal ratio is taken before the two-theta
// swing (so with two-theta the reported distance is close_distance over
// that ratio), CUSTOM takes the near point from the beam centre, and
// -pix0_vector is ignored unless Input.HonourPix0 asks for the spec
// behaviour.
//
// Log returns C's stdout lines about the detector, Header the SMV header
// values, and PixelPosition documents how a pixel is placed in the lab frame.
package detector
