package detector

import "gobragg/imageio"

// cg formats x as C's printf %g (and %lg), glibc's spelling of nan and inf
// included.
var cg = imageio.FormatG

// cg3 formats three values with %g separated by sep.
func cg3(v [3]float64, sep string) string {
	return cg(v[0]) + sep + cg(v[1]) + sep + cg(v[2])
}
