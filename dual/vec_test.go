package dual

import (
	"math"
	"testing"

	"gobragg/internal/libm"
)

// rotateRef holds outputs of nanoBragg's rotate() (gcc, glibc libm) for the
// misset angles of the golden cases triclinic_misset and cubic_misset and
// single-axis turns, as exact float64 values.
var rotateRef = []struct {
	v   Vec3
	ang [3]float64
	out [3]float64
}{
	{V3(0x1.47ae147ae147bp-7, 0x0p+0, 0x0p+0), [3]float64{-0x1.91fbbafae22acp+0, -0x1.17f54d5294799p-1, 0x1.8d1ada9aee1a9p+1}, [3]float64{-0x1.17b017ea768bbp-7, 0x1.5f1d993a1d89dp-12, 0x1.54c145e498ac8p-8}},
	{V3(0x1.47ae147ae147bp-7, 0x0p+0, 0x0p+0), [3]float64{0x1.921fb54442d18p+0, 0x0p+0, 0x0p+0}, [3]float64{0x1.47ae147ae147bp-7, 0x0p+0, 0x0p+0}},
	{V3(0x1.47ae147ae147bp-7, 0x0p+0, 0x0p+0), [3]float64{0x0p+0, 0x1.6e6127ff9d971p-2, 0x0p+0}, [3]float64{0x1.32edc219770f3p-7, 0x0p+0, -0x1.cb0618fc8e2b2p-9}},
	{V3(0x1.47ae147ae147bp-7, 0x0p+0, 0x0p+0), [3]float64{0x1.0c152382d7365p-2, 0x1.6e6127ff9d971p-2, 0x1.0e510c57218ap-1}, [3]float64{0x1.0922cd572ca6bp-7, 0x1.353ed44e5d026p-8, -0x1.cb0618fc8e2b2p-9}},
	{V3(-0x1.93c9646af211p-7, 0x1.fae8431d25bfbp-12, 0x1.ebf31659c147ep-8), [3]float64{-0x1.91fbbafae22acp+0, -0x1.17f54d5294799p-1, 0x1.8d1ada9aee1a9p+1}, [3]float64{0x1.46d86384f4cdbp-7, -0x1.02febaf130891p-7, -0x1.bebaea703a341p-8}},
	{V3(-0x1.93c9646af211p-7, 0x1.fae8431d25bfbp-12, 0x1.ebf31659c147ep-8), [3]float64{0x1.921fb54442d18p+0, 0x0p+0, 0x0p+0}, [3]float64{-0x1.93c9646af211p-7, -0x1.ebf31659c147ep-8, 0x1.fae8431d25c03p-12}},
	{V3(-0x1.93c9646af211p-7, 0x1.fae8431d25bfbp-12, 0x1.ebf31659c147ep-8), [3]float64{0x0p+0, 0x1.6e6127ff9d971p-2, 0x0p+0}, [3]float64{-0x1.2412d601c50ep-7, 0x1.fae8431d25bfbp-12, 0x1.73ce8b62af9ccp-7}},
	{V3(-0x1.93c9646af211p-7, 0x1.fae8431d25bfbp-12, 0x1.ebf31659c147ep-8), [3]float64{0x1.0c152382d7365p-2, 0x1.6e6127ff9d971p-2, 0x1.0e510c57218ap-1}, [3]float64{-0x1.ca787b03fa2e9p-8, -0x1.7b579e1e3d722p-8, 0x1.6fcbe5f41fddap-7}},
	{V3(0x1.9p+6, -0x1.cp+1, 0x1.52p+5), [3]float64{-0x1.91fbbafae22acp+0, -0x1.17f54d5294799p-1, 0x1.8d1ada9aee1a9p+1}, [3]float64{-0x1.54b7f19dbc937p+6, -0x1.3782e36884dc3p+5, 0x1.b80961d95070ap+5}},
	{V3(0x1.9p+6, -0x1.cp+1, 0x1.52p+5), [3]float64{0x1.921fb54442d18p+0, 0x0p+0, 0x0p+0}, [3]float64{0x1.9p+6, -0x1.52p+5, -0x1.bfffffffffffap+1}},
	{V3(0x1.9p+6, -0x1.cp+1, 0x1.52p+5), [3]float64{0x0p+0, 0x1.6e6127ff9d971p-2, 0x0p+0}, [3]float64{0x1.b1da9ab4d622cp+6, -0x1.cp+1, 0x1.236f3231f4ca8p+2}},
	{V3(0x1.9p+6, -0x1.cp+1, 0x1.52p+5), [3]float64{0x1.0c152382d7365p-2, 0x1.6e6127ff9d971p-2, 0x1.0e510c57218ap-1}, [3]float64{0x1.90c9b81e658e4p+6, 0x1.4ee2caa27309ap+5, 0x1.2da83d7f7a76p+1}},
}

// TestRotateXYZMatchesC checks RotateXYZ's values against C's rotate()
// bit for bit, with constant and with seeded angles.
func TestRotateXYZMatchesC(t *testing.T) {
	for i, c := range rotateRef {
		for _, seeded := range []bool{false, true} {
			rx, ry, rz := C(c.ang[0]), C(c.ang[1]), C(c.ang[2])
			if seeded {
				rx, ry, rz = Var(c.ang[0], 0, 3), Var(c.ang[1], 1, 3), Var(c.ang[2], 2, 3)
			}
			got := c.v.RotateXYZ(rx, ry, rz).Values()
			for k := range 3 {
				if math.Float64bits(got[k]) != math.Float64bits(c.out[k]) {
					t.Errorf("case %d (seeded %v) component %d: got %x, C rotate() gives %x", i, seeded, k, got[k], c.out[k])
				}
			}
		}
	}
}

// fdCheck compares the partials of f's outputs with central differences.
// Tolerance: 1e-7 relative to max(1, |fd|); h = 1e-6 leaves O(h^2)
// truncation and O(eps/h) rounding error, both well below it.
func fdCheck(t *testing.T, label string, p []float64, f func(in []Num) []Num) {
	t.Helper()
	n := len(p)
	in := make([]Num, n)
	for i := range p {
		in[i] = Var(p[i], i, n)
	}
	out := f(in)
	val := func(q []float64) []float64 {
		c := make([]Num, n)
		for i := range q {
			c[i] = C(q[i])
		}
		o := f(c)
		r := make([]float64, len(o))
		for i := range o {
			r[i] = o[i].V
		}
		return r
	}
	const h = 1e-6
	for i := range p {
		pp := append([]float64(nil), p...)
		pm := append([]float64(nil), p...)
		pp[i] += h
		pm[i] -= h
		fp, fm := val(pp), val(pm)
		for k := range out {
			fd := (fp[k] - fm[k]) / (2 * h)
			if d := out[k].Grad(i); math.Abs(d-fd) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("%s: d out[%d]/d in[%d] = %v, finite difference %v", label, k, i, d, fd)
			}
		}
	}
}

// TestRotateXYZFD checks every partial of RotateXYZ (vector and angles)
// at non-zero and at exactly-zero angles.
func TestRotateXYZFD(t *testing.T) {
	for _, ang := range [][3]float64{{0, 0, 0}, {0.2, 0, 0}, {0, 0.5, 0}, {0, 0, -0.9}, {0.3, -1.2, 0.7}} {
		p := []float64{0.3, -1.7, 2.2, ang[0], ang[1], ang[2]}
		fdCheck(t, "RotateXYZ", p, func(in []Num) []Num {
			r := Vec3{in[0], in[1], in[2]}.RotateXYZ(in[3], in[4], in[5])
			return r[:]
		})
	}
}

// TestRotateAxisValues checks the values against nanoBragg's rotate_axis
// written out in float64 with the correctly rounded sine and cosine.
func TestRotateAxisValues(t *testing.T) {
	v := [3]float64{0.3, -0.7, 0.2}
	axis := [3]float64{0, 0.6, -0.8}
	for _, phi := range []float64{0, 0.087266462599716474, -1.3, 2.9} {
		sinphi, cosphi := libm.Sin(phi), libm.Cos(phi)
		dot := (axis[0]*v[0] + axis[1]*v[1] + axis[2]*v[2]) * (1.0 - cosphi)
		want := [3]float64{
			axis[0]*dot + v[0]*cosphi + (-axis[2]*v[1]+axis[1]*v[2])*sinphi,
			axis[1]*dot + v[1]*cosphi + (+axis[2]*v[0]-axis[0]*v[2])*sinphi,
			axis[2]*dot + v[2]*cosphi + (-axis[1]*v[0]+axis[0]*v[1])*sinphi,
		}
		got := V3(v[0], v[1], v[2]).RotateAxis(V3(axis[0], axis[1], axis[2]), C(phi)).Values()
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Errorf("phi %v component %d: %.17g, C formula %.17g", phi, i, got[i], want[i])
			}
		}
	}
}

// TestRotateAxisFiniteDifference compares the partials with respect to
// the vector, the axis and the angle with central differences.
func TestRotateAxisFiniteDifference(t *testing.T) {
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
		return Vec3{n[0], n[1], n[2]}.RotateAxis(Vec3{n[3], n[4], n[5]}, n[6])
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

func TestIdentity3(t *testing.T) {
	v := V3(1.5, -2, 3e-7)
	v[1].D = []float64{0.25}
	if got := Identity3().Apply(v); got[0].V != v[0].V || got[1].V != v[1].V || got[2].V != v[2].V || len(got[1].D) != 1 || got[1].D[0] != 0.25 {
		t.Errorf("Identity3().Apply(%v) = %v", v, got)
	}
}
