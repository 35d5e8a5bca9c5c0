package physics

import "math"

// The transcendental functions of the C library used by nanoBragg's
// formulas. They are Go's math functions, which agree with glibc's to the
// last bit in roughly 75% (sin, cos, atan2) to 87% (exp) of arguments and
// otherwise differ by one ulp; glibc itself is correctly rounded in all but
// about 0.1% of cases. Routing every call through these functions keeps the
// place to swap in a correctly rounded implementation in one file.
// (sqrt needs no such care: both are IEEE correctly rounded.)
func sin(x float64) float64           { return math.Sin(x) }
func cos(x float64) float64           { return math.Cos(x) }
func exp(x float64) float64           { return math.Exp(x) }
func atan2(y, x float64) float64      { return math.Atan2(y, x) }
func sincos(x float64) (s, c float64) { return math.Sincos(x) }
