// Package beam builds nanoBragg's list of X-ray sources: one per point of
// the divergence grid and wavelength of the dispersion sweep, or one per
// line of a -sourcefile, each with its incident direction, wavelength and
// weight, in the C program's order and arithmetic. It also turns flux,
// exposure and beam size into fluence, and reproduces the lines nanoBragg
// prints about its sources.
//
// Positions are in metres from the sample, angles in radians, wavelengths
// in metres. The central wavelength is a dual number so that the graph can
// differentiate every source wavelength with respect to it.
package beam
