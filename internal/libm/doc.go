// Package libm provides the C library functions whose last bit nanoBragg's
// results depend on, as glibc (x86-64, 2.36) computes them: sine, cosine
// and atan2 rounded correctly to float64 (glibc's nearly always are; Go's
// math.Sin, math.Cos and math.Atan2 differ in the last bit in about 20% of
// calls), and glibc's single-precision pow, which is not correctly rounded
// and is reproduced algorithm for algorithm.
//
// These are far slower than the math package (a double-double Taylor
// series per call): they are meant for set-up geometry, not inner loops.
package libm
