package dual

import (
	"math"
	"testing"
)

// TestRotateAxisCRValues checks the values against nanoBragg's rotate_axis
// written out in float64 with the correctly rounded sine and cosine.
func TestRotateAxisCRValues(t *testing.T) {
	v := [3]float64{0.3, -0.7, 0.2}
	axis := [3]float64{0, 0.6, -0.8}
	for _, phi := range []float64{0, 0.087266462599716474, -1.3, 2.9} {
		sinphi, cosphi := crSin(phi), crCos(phi)
		dot := (axis[0]*v[0] + axis[1]*v[1] + axis[2]*v[2]) * (1.0 - cosphi)
		want := [3]float64{
			axis[0]*dot + v[0]*cosphi + (-axis[2]*v[1]+axis[1]*v[2])*sinphi,
			axis[1]*dot + v[1]*cosphi + (+axis[2]*v[0]-axis[0]*v[2])*sinphi,
			axis[2]*dot + v[2]*cosphi + (-axis[1]*v[0]+axis[0]*v[1])*sinphi,
		}
		got := V3(v[0], v[1], v[2]).RotateAxisCR(V3(axis[0], axis[1], axis[2]), C(phi)).Values()
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Errorf("phi %v component %d: %.17g, C formula %.17g", phi, i, got[i], want[i])
			}
		}
	}
}

// TestRotateAxisCRFiniteDifference compares the partials with respect to
// the vector, the axis and the angle with central differences.
func TestRotateAxisCRFiniteDifference(t *testing.T) {
	const h = 1e-6
	const tol = 1e-8 // central differences with h=1e-6 on O(1) trigonometry
	p0 := [7]float64{0.3, -0.7, 0.2, 0, 0.6, -0.8, 0.4}
	eval := func(p [7]float64, seeded bool) Vec3 {
		var n [7]Num
		for i := range p {
			n[i] = C(p[i])
			if seeded {
				n[i] = Var(p[i], i, 7)
			}
		}
		return Vec3{n[0], n[1], n[2]}.RotateAxisCR(Vec3{n[3], n[4], n[5]}, n[6])
	}
	for _, phi := range []float64{0, 0.4, -2.2} {
		p := p0
		p[6] = phi
		got := eval(p, true)
		for j := range p {
			pp, pm := p, p
			pp[j] += h
			pm[j] -= h
			fp, fm := eval(pp, false), eval(pm, false)
			for i := 0; i < 3; i++ {
				fd := (fp[i].V - fm[i].V) / (2 * h)
				if d := got[i].Grad(j); math.Abs(d-fd) > tol {
					t.Errorf("phi %v: d out[%d]/d in[%d] = %v, finite difference %v", phi, i, j, d, fd)
				}
			}
		}
	}
}
