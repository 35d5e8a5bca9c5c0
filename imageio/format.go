package imageio

import (
	"math"
	"strconv"
)

// FormatG formats x as C's printf("%g", x) does with glibc: six
// significant digits, trailing zeros and a trailing decimal point removed,
// exponent form ("1e+06", "1.5e-07") when the decimal exponent is below -4
// or at least 6, "-0" for negative zero, "nan"/"-nan" and "inf"/"-inf" for
// the special values. C's "%lg" is the same conversion.
func FormatG(x float64) string { return FormatGPrec(x, 6) }

// FormatGPrec formats x as printf("%.<prec>g", x), for example prec 15 for
// nanoBragg's "lambda%d = %.15g". As in C, a precision of 0 means 1 and a
// negative precision means the default 6.
func FormatGPrec(x float64, prec int) string {
	switch {
	case prec < 0:
		prec = 6
	case prec == 0:
		prec = 1
	}
	switch {
	case math.IsNaN(x):
		// glibc prints the sign bit of a NaN.
		if math.Signbit(x) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	// strconv's 'g' with an explicit precision makes the same choice
	// between %e and %f as C (exponent < -4 or >= precision), rounds
	// correctly (as glibc does) and drops trailing zeros; its exponent has
	// at least two digits, as C's.
	return strconv.FormatFloat(x, 'g', prec, 64)
}
