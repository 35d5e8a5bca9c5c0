package crand

import (
	"math"
	"testing"

	"gobragg/dual"
)

// mosaicCases are cap sizes in radians: the 0.8 degree spread of the mosaic
// golden case, a tiny and a large one, and the 90 of -misset random.
var mosaicCases = []float64{0.8 * math.Pi / 180, 1e-5, 0.3, 90}

func TestMosaicUmatValueEqualsRotationUmat(t *testing.T) {
	for _, mos := range mosaicCases {
		g1, g2 := New(), New()
		s1, s2 := int64(-42), int64(-42)
		for d := 0; d < 200; d++ {
			want := g1.MosaicRotationUmat(float32(mos), &s1)
			r1, r2, r3 := g2.MosaicDraw(&s2)
			m := MosaicUmat(dual.Var(mos, 0, 1), r1, r2, r3)
			for i := range want {
				if math.Float64bits(m[i].V) != math.Float64bits(want[i]) {
					t.Fatalf("mosaicity %v domain %d element %d: MosaicUmat %x, MosaicRotationUmat %x",
						mos, d, i, m[i].V, want[i])
				}
			}
		}
	}
}

func TestMosaicUmatOrthonormal(t *testing.T) {
	for _, mos := range mosaicCases {
		g := New()
		seed := int64(-7)
		for d := 0; d < 500; d++ {
			u := g.MosaicRotationUmat(float32(mos), &seed)
			for i := 0; i < 3; i++ {
				for j := 0; j < 3; j++ {
					dot := u[3*i]*u[3*j] + u[3*i+1]*u[3*j+1] + u[3*i+2]*u[3*j+2]
					want := 0.0
					if i == j {
						want = 1
					}
					if math.Abs(dot-want) > 1e-12 {
						t.Fatalf("mosaicity %v domain %d: row %d . row %d = %v", mos, d, i, j, dot)
					}
				}
			}
			det := u[0]*(u[4]*u[8]-u[5]*u[7]) - u[1]*(u[3]*u[8]-u[5]*u[6]) + u[2]*(u[3]*u[7]-u[4]*u[6])
			if math.Abs(det-1) > 1e-12 {
				t.Fatalf("mosaicity %v domain %d: det %v", mos, d, det)
			}
		}
	}
}

// The rotation angle of the matrix is rot = mosaicity*(1-r3^2)^(1/3), so
// trace = 1 + 2 cos(rot).
func TestMosaicUmatAngle(t *testing.T) {
	g := New()
	seed := int64(-3)
	mos := 0.3
	for d := 0; d < 100; d++ {
		r1, r2, r3 := g.MosaicDraw(&seed)
		m := MosaicUmat(dual.C(mos), r1, r2, r3)
		rot := float64(float32(mos)) * math.Cbrt(1-r3*r3)
		tr := m[0].V + m[4].V + m[8].V
		if math.Abs(tr-(1+2*math.Cos(rot))) > 1e-6 {
			t.Errorf("draw %d: trace %v, want 1+2cos(%v) = %v", d, tr, rot, 1+2*math.Cos(rot))
		}
	}
}

// The derivative with respect to the spread is checked against central
// differences of the value. The value rounds the spread and rot to float32
// (relative steps of 6e-8), so the step is h = 1e-3*spread and the
// tolerance 1e-4 of the largest derivative: the rounding contributes at
// most 6e-8/2e-3 = 3e-5 and the truncation error is of order h^2.
func TestMosaicUmatDerivative(t *testing.T) {
	for _, mos := range mosaicCases[:3] {
		g := New()
		seed := int64(-11)
		for d := 0; d < 50; d++ {
			r1, r2, r3 := g.MosaicDraw(&seed)
			m := MosaicUmat(dual.Var(mos, 0, 1), r1, r2, r3)
			h := 1e-3 * mos
			up := MosaicUmat(dual.C(mos+h), r1, r2, r3)
			dn := MosaicUmat(dual.C(mos-h), r1, r2, r3)
			scale := 0.0
			for i := range m {
				scale = math.Max(scale, math.Abs(m[i].Grad(0)))
			}
			for i := range m {
				fd := (up[i].V - dn[i].V) / (2 * h)
				if math.Abs(fd-m[i].Grad(0)) > 1e-4*scale {
					t.Errorf("mosaicity %v draw %d element %d: d/dspread %v, finite difference %v", mos, d, i, m[i].Grad(0), fd)
				}
			}
		}
	}
}

func TestMosaicDrawRange(t *testing.T) {
	g := New()
	seed := int64(-1)
	for d := 0; d < 1000; d++ {
		r1, r2, r3 := g.MosaicDraw(&seed)
		for _, r := range []float64{r1, r2, r3} {
			if r <= -1 || r >= 1 {
				t.Fatalf("draw %d: deviate %v outside (-1, 1)", d, r)
			}
		}
	}
}
