// Package physics holds the per-subpath formulas of nanoBragg's inner loop:
// the lattice transforms F_latt of the four crystal shapes (sincg, sinc3,
// Gaussian and top-hat), the Kahn polarization factor, the pixel solid angle,
// the detector-layer capture fraction, the tricubic (Lagrange) structure
// factor interpolation and the C rounding rule ceil(x-0.5) used for the
// nearest Miller index; and the water background every pixel starts from,
// with nanoBragg's physical constants (water.go).
//
// Every value function evaluates its expression in the same operation order as
// the C program, so with the same inputs it returns the same float64, up to
// the last-bit differences between Go's math package and the C library in
// sin, cos, exp and atan2 (see libm.go); sqrt and the arithmetic match
// exactly. Where C's formula cancels (sincg next to a Bragg peak, sinc3 next
// to 0) such a one-ulp difference is amplified like C's own rounding. Each value
// function has a companion (…Dx, …DN or …Grad) that returns the exact partial
// derivatives, written in forms that stay accurate where the plain formula
// cancels (sincg next to a Bragg peak, sinc3 next to the origin, the square
// root of a zero radius).
//
// The package is pure float64 arithmetic with no state. Lengths are metres,
// angles radians, attenuation per metre; Miller indices are dimensionless.
// Three-vectors are [3]float64 in x, y, z order (C's elements 1..3).
//
// Crystal sizes Na, Nb, Nc are integers in nanoBragg. Here they are treated
// as continuous so that they can be refined: see Sincg for the extension used
// off the integers; at integer N every value equals the C value.
package physics
