package detector

import (
	"math"
	"strconv"
)

// cg formats x as C's printf %g (and %lg): six significant digits,
// trailing zeros removed, exponent form with at least two exponent digits
// when the exponent is below -4 or at least 6; nan/inf spelled as glibc.
func cg(x float64) string {
	switch {
	case math.IsNaN(x):
		if math.Signbit(x) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// cg3 formats three values with %g separated by sep.
func cg3(v [3]float64, sep string) string {
	return cg(v[0]) + sep + cg(v[1]) + sep + cg(v[2])
}
