// Package gradcheck compares analytic gradients with finite differences,
// parameter by parameter, for any Target: a model with named scalar
// parameters, a scalar loss, its gradient and (optionally) the image the
// loss is computed from.
//
// The design follows gonum's optimize package: a Target describes the
// problem, Settings choose how it is checked and Check returns a Report of
// one Result per parameter.
//
// For every parameter Check takes central differences
// (L(v+h) - L(v-h)) / 2h with several steps h = step * Scale(name, value)
// (Settings.Steps, 1e-2 to 1e-7 by default) and the Richardson
// extrapolation of each pair of neighbouring steps, which cancels the h^2
// error term, and keeps the estimate that agrees best with the analytic
// partial derivative ("best of a few step sizes": truncation error falls
// with h while rounding, and the float32 quantisation nanoBragg applies to
// the mosaic spread, grow as h falls, so no single step suits every
// parameter). A parameter passes when the relative error
// |analytic - numeric| / max(|analytic|, |numeric|) is at most
// Settings.RelTol (1e-4), or when the two differ by less than the absolute
// floor Settings.AbsTol * |loss| / scale: derivatives that are exactly zero
// (fudge with the parallelepiped crystal, the lattice parameters of the
// top-hat crystal) pass through the floor.
//
// When the loss is a fixed linear functional of the image (a LinearTarget:
// the sum or a weighted sum of pixels), the loss's differences are taken
// pixel by pixel and summed, so a bright constant background does not round
// the signal's change away.
//
// When the Target is also a PixelTarget, Check names the worst pixel: of
// the pixels with the largest finite-difference derivative it computes each
// one's analytic derivative with a one-hot weighted loss and reports the
// pixel that disagrees most (Settings.PixelRelTol can fail on it). A
// gradient error that cancels in the summed loss still shows there.
//
// Problem adapts a *sim.Problem (every graph parameter) and
// StructureFactors adapts entries of its dense structure-factor table
// (LargestF picks the entries with the largest |dL/dF|). Targets are not
// safe for concurrent use: Check changes one parameter at a time and
// restores it before returning.
package gradcheck
