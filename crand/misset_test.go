package crand

import (
	"math"
	"testing"
)

// rzyx returns Rz(c) Ry(b) Rx(a), row-major.
func rzyx(a, b, c float64) [9]float64 {
	ca, sa := math.Cos(a), math.Sin(a)
	cb, sb := math.Cos(b), math.Sin(b)
	cc, sc := math.Cos(c), math.Sin(c)
	return [9]float64{
		cc * cb, cc*sb*sa - sc*ca, cc*sb*ca + sc*sa,
		sc * cb, sc*sb*sa + cc*ca, sc*sb*ca - cc*sa,
		-sb, cb * sa, cb * ca,
	}
}

func TestUmat2MissetRoundTrip(t *testing.T) {
	cases := [][3]float64{
		{0, 0, 0}, {0.1, -0.2, 0.3}, {3, 1.2, -2.5}, {-1.5, -1.4, 3.1}, {2.2, 0.01, -0.7},
	}
	for _, c := range cases {
		got := Umat2Misset(rzyx(c[0], c[1], c[2]))
		for i := range got {
			if math.Abs(got[i]-c[i]) > 1e-12 {
				t.Errorf("angles %v: got %v", c, got)
				break
			}
		}
	}
}

// Scaled rows are normalised, and a missing (zero) row is rebuilt from the
// other two.
func TestUmat2MissetRepairsRows(t *testing.T) {
	want := [3]float64{0.4, -0.3, 1.1}
	u := rzyx(want[0], want[1], want[2])
	for row := 0; row < 3; row++ {
		v := u
		for k := 0; k < 3; k++ {
			v[3*row+k] = 0
		}
		for k := 0; k < 9; k++ {
			if k/3 != row {
				v[k] *= 2.5
			}
		}
		got := Umat2Misset(v)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("row %d zeroed: got %v want %v", row, got, want)
				break
			}
		}
	}
	if got := Umat2Misset([9]float64{}); got != [3]float64{0, 0, 0} {
		t.Errorf("zero matrix: got %v, want identity angles", got)
	}
}

func TestUmat2MissetGimbalLock(t *testing.T) {
	u := rzyx(0, -math.Pi/2, 0)
	u[6] = 1 // uzx exactly 1
	got := Umat2Misset(u)
	if got[0] != math.Pi || got[1] != math.Pi/2 {
		t.Errorf("uzx = 1: rotx, roty = %v, %v; C gives pi, pi/2", got[0], got[1])
	}
}

// RandomMisset consumes three deviates and is reproducible per seed.
func TestRandomMissetReproducible(t *testing.T) {
	s1, s2 := int64(-77), int64(-77)
	a := RandomMisset(New(), &s1)
	b := RandomMisset(New(), &s2)
	if a != b || s1 != s2 {
		t.Fatalf("same seed gave %v and %v", a, b)
	}
	g := New()
	s3 := int64(-77)
	g.MosaicDraw(&s3)
	if s3 != s1 {
		t.Errorf("RandomMisset left seed %d, three draws leave %d", s1, s3)
	}
}
