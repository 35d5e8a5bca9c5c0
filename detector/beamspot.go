package detector

import (
	"gonum.org/v1/gonum/spatial/r3"

	"gobragg/dual"
)

// BeamSpot returns where the direct beam meets the detector plane, in
// metres along the fast and slow axes from the corner of the first pixel
// (Pix0), for any convention, rotation and origin. ok is false when the
// beam runs parallel to the plane or away from it.
func (g Geometry) BeamSpot() (fastM, slowM float64, ok bool) {
	pix0, beam, odet := vec(g.Pix0), vec(g.Beam), vec(g.Odet)
	along := r3.Dot(beam, odet)
	if along == 0 {
		return 0, 0, false
	}
	t := r3.Dot(pix0, odet) / along // sample-to-plane length along the beam
	if !(t > 0) {
		return 0, 0, false
	}
	hit := r3.Sub(r3.Scale(t, beam), pix0)
	return r3.Dot(hit, vec(g.Fdet)), r3.Dot(hit, vec(g.Sdet)), true
}

func vec(v dual.Vec3) r3.Vec { return r3.Vec{X: v[0].V, Y: v[1].V, Z: v[2].V} }
