package crystal

import (
	"gobragg/imageio"
	"gobragg/physics"
)

// rtd is nanoBragg's RTD (physics.RTD).
var rtd = physics.RTD

// DegToRad converts degrees to radians as nanoBragg's option parser does
// (deg/RTD with RTD = 180*M_1_PI), so angles match the C program bit for bit.
func DegToRad(deg float64) float64 { return deg / rtd }

// RadToDeg converts radians to degrees as nanoBragg prints them (rad*RTD).
func RadToDeg(rad float64) float64 { return rad * rtd }

// cG formats x as C's printf("%g") (glibc's spelling of nan and inf).
var cG = imageio.FormatG
