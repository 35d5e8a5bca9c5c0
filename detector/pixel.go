package detector

import "gobragg/physics"

// PixelPosition returns the lab-frame position (metres, from the sample) of
// the detector point at fast, slow and depth coordinates fdetM, sdetM, odetM
// measured from the origin Pix0, with the value arithmetic of nanoBragg's
// pixel loop: each component is Fdet*f + Sdet*s + Odet*o + pix0, summed
// left to right.
//
// With curved set, the point is instead placed on a sphere of radius
// Distance: the vector Distance*Beam is rotated about the slow axis by the
// flat position's second (lab y) component over Distance, then about the
// fast axis by its third (lab z) component over Distance. C uses those lab
// components whatever the convention, and so does this function.
func (g Geometry) PixelPosition(fdetM, sdetM, odetM float64, curved bool) [3]float64 {
	f, s, o, p := g.Fdet.Values(), g.Sdet.Values(), g.Odet.Values(), g.Pix0.Values()
	var pos [3]float64
	for i := range pos {
		pos[i] = fdetM*f[i] + sdetM*s[i] + odetM*o[i] + p[i]
	}
	if !curved {
		return pos
	}
	distance := g.DistanceM.V
	b := g.Beam.Values()
	v := [3]float64{distance * b[0], distance * b[1], distance * b[2]}
	v = physics.RotateAxis(v, s, pos[1]/distance)
	return physics.RotateAxis(v, f, pos[2]/distance)
}
