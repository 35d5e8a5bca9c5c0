package physics

import "math"

// M1Pi is C's M_1_PI: 1/pi rounded once to float64.
var M1Pi float64 = 1 / math.Pi

// RTD is nanoBragg's degrees per radian, RTD = 180.0*M_1_PI, multiplied in
// float64 at run time as C does, so angles converted with it match the C
// program bit for bit.
var RTD = 180.0 * M1Pi

// HCEVAngstrom is nanoBragg's h c in eV Angstrom: a photon of energy E eV
// has the wavelength 12398.42/E Angstrom.
const HCEVAngstrom = 12398.42
