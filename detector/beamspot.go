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
	along, t, fastM, slowM := beamHit(vec(g.Pix0), vec(g.Fdet), vec(g.Sdet), vec(g.Odet), vec(g.Beam))
	if along == 0 || !(t > 0) {
		return 0, 0, false
	}
	return fastM, slowM, true
}

// beamHit intersects the beam through the sample with the plane through
// pix0 normal to odet: along is beam . odet, t the length along the beam
// to the plane (metres; not finite when along is 0), and fastM, slowM the
// hit's coordinates from pix0 along fdet and sdet.
func beamHit(pix0, fdet, sdet, odet, beam r3.Vec) (along, t, fastM, slowM float64) {
	along = r3.Dot(beam, odet)
	t = r3.Dot(pix0, odet) / along
	hit := r3.Sub(r3.Scale(t, beam), pix0)
	return along, t, r3.Dot(hit, fdet), r3.Dot(hit, sdet)
}

func vec(v dual.Vec3) r3.Vec { return r3.Vec{X: v[0].V, Y: v[1].V, Z: v[2].V} }

func r3Of(v [3]float64) r3.Vec { return r3.Vec{X: v[0], Y: v[1], Z: v[2]} }
