package crystal

import (
	"math"
	"strconv"
)

// m1Pi is C's M_1_PI (1/pi rounded once to float64).
var m1Pi float64 = 1 / math.Pi

// rtd is nanoBragg's RTD = 180.0*M_1_PI, multiplied in float64 at run time
// exactly as the C program does (it differs in the last bit from 180/pi
// rounded once).
var rtd = 180.0 * m1Pi

// DegToRad converts degrees to radians as nanoBragg's option parser does
// (deg/RTD with RTD = 180*M_1_PI), so angles match the C program bit for bit.
func DegToRad(deg float64) float64 { return deg / rtd }

// RadToDeg converts radians to degrees as nanoBragg prints them (rad*RTD).
func RadToDeg(rad float64) float64 { return rad * rtd }

// cG formats x as C's printf("%g"): six significant digits, trailing zeros
// removed, exponent form outside [1e-4, 1e6); inf and nan spelled as glibc
// spells them.
func cG(x float64) string {
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
