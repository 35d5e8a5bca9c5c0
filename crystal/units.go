package crystal

import (
	"math"

	"gobragg/imageio"
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

// cG formats x as C's printf("%g") (glibc's spelling of nan and inf).
var cG = imageio.FormatG
