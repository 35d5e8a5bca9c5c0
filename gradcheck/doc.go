// Package gradcheck compares analytic gradients with central finite
// differences, parameter by parameter, for any Target: a model with named
// scalar parameters, a scalar loss, its gradient and (optionally) the image
// the loss is a function of.
//
// The design follows gonum's optimize package: a Target describes the
// problem, Settings choose how it is checked and Check returns a Report of
// one Result per parameter. For every parameter Check differences the loss
// with several step sizes h = step * Scale(name, value), keeps the step
// whose central difference (L(v+h) - L(v-h)) / 2h agrees best with the
// analytic partial derivative ("best of a few step sizes": the truncation
// error falls with h^2 while rounding and float32 quantisation in the model
// grow with 1/h, so no single step suits every parameter), and passes it
// when the relative error is at most Settings.RelTol. Parameters whose
// derivative is exactly zero (fudge with the parallelepiped crystal, the
// spot-shape parameters of the top-hat crystal) pass through the absolute
// floor Settings.AbsTol instead.
//
// When the Target is also a PixelTarget, Check names the worst pixel: of the
// pixels with the largest finite-difference derivative (from the images at
// v+h and v-h) it computes each one's analytic derivative with a one-hot
// weighted loss and reports the pixel that disagrees most. A gradient
// error that cancels in the summed loss still shows up there.
//
// Problem adapts a *sim.Problem (every graph parameter) and
// StructureFactors adapts entries of its dense structure-factor table.
// Targets are not safe for concurrent use: Check changes one parameter at a
// time and restores it before returning.
package gradcheck
