// Package crystal holds the crystal of a gobragg simulation: its unit cell
// and orientation and its table of structure factors.
//
// BuildLattice turns a direct cell (Å and radians) and/or a MOSFLM A matrix,
// optionally rotated by misset angles, into real-space vectors a, b, c (in
// metres) and reciprocal vectors a*, b*, c* (in 1/Å), following nanoBragg's
// sequence operation for operation so that the values are bit-identical to
// the C program's. It works in dual numbers, so seeded inputs (cell lengths
// and angles, misset angles, A-matrix entries, wavelength) carry exact
// partial derivatives to every output. Summary prints the cell as nanoBragg
// does. Unlike nanoBragg, an impossible cell is an error, not a warning.
// Sines, cosines and arc tangents are the correctly rounded ones (dual.Sin,
// Cos, Atan2, RotateXYZ use gobragg/internal/libm) because glibc's are and
// Go's math.Sin and math.Cos are sometimes an ulp off, which shows in the
// printed vectors.
//
// ReadMat reads a MOSFLM A matrix, ReadHKL a text list of h k l F, NewFGrid
// builds the dense F(h,k,l) table with nanoBragg's nearest-neighbour lookup,
// and WriteFdump and ReadFdump write and read that table in nanoBragg's
// Fdump.bin layout. ReadHKL has two modes: a line-based reader for files
// that follow the specification (comments, extra columns) and a C-parity
// reader that reproduces nanoBragg's fscanf loop, including stopping
// silently at the first token that is not a number.
package crystal
