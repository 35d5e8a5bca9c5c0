package physics

import (
	"fmt"
	"math"
	"testing"
)

// latticePoint is a test point: fractional hkl and crystal size.
type latticePoint struct {
	h, k, l, na, nb, nc, fudge float64
}

// latticePoints returns random points: generic ones, ones within 1e-2..0.3
// of a Bragg peak, exact peaks, and continuous N.
func latticePoints(seed rng, n int) []latticePoint {
	r := seed
	pts := make([]latticePoint, 0, n)
	for i := 0; i < n; i++ {
		var p latticePoint
		near := func() float64 {
			return float64(r.intn(-8, 8)) + math.Copysign(math.Pow(10, r.uniform(-2, -0.5)), r.uniform(-1, 1))
		}
		switch i % 3 {
		case 0:
			p.h, p.k, p.l = r.uniform(-15, 15), r.uniform(-15, 15), r.uniform(-15, 15)
		case 1:
			p.h, p.k, p.l = near(), near(), near()
		default:
			p.h, p.k, p.l = near(), r.uniform(-15, 15), near()
		}
		p.na, p.nb, p.nc = float64(r.intn(1, 30)), float64(r.intn(2, 30)), float64(r.intn(2, 30))
		if i%4 == 3 {
			p.na, p.nb, p.nc = r.uniform(1.2, 30), r.uniform(1.2, 30), r.uniform(1.2, 30)
		}
		p.fudge = 1
		if i%2 == 1 {
			p.fudge = r.uniform(0.2, 3)
		}
		pts = append(pts, p)
	}
	return pts
}

func TestLatticeSquareGrad(t *testing.T) {
	for i, p := range latticePoints(21, 300) {
		f, dh, dk, dl, dna, dnb, dnc := LatticeSquareGrad(p.h, p.k, p.l, p.na, p.nb, p.nc)
		if v := LatticeSquare(p.h, p.k, p.l, p.na, p.nb, p.nc); math.Float64bits(v) != math.Float64bits(f) {
			t.Errorf("case %d: LatticeSquareGrad value %v != LatticeSquare %v", i, f, v)
		}
		want := 1.0
		if p.na > 1 {
			want *= Sincg(math.Pi*p.h, p.na)
		}
		if p.nb > 1 {
			want *= Sincg(math.Pi*p.k, p.nb)
		}
		if p.nc > 1 {
			want *= Sincg(math.Pi*p.l, p.nc)
		}
		if math.Float64bits(want) != math.Float64bits(f) {
			t.Errorf("case %d: LatticeSquare %v, C-order product %v", i, f, want)
		}
		scale := p.na * p.nb * p.nc * math.Max(p.na, math.Max(p.nb, p.nc)) * 10
		name := fmt.Sprintf("case %d %+v", i, p)
		sq := func(h, k, l, na, nb, nc float64) float64 { return LatticeSquare(h, k, l, na, nb, nc) }
		checkFD(t, name+" d/dh", dh, func(v float64) float64 { return sq(v, p.k, p.l, p.na, p.nb, p.nc) }, p.h, 1e-5, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dk", dk, func(v float64) float64 { return sq(p.h, v, p.l, p.na, p.nb, p.nc) }, p.k, 1e-5, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dl", dl, func(v float64) float64 { return sq(p.h, p.k, v, p.na, p.nb, p.nc) }, p.l, 1e-5, 1e-6, 1e-9*scale)
		if p.na > 1.01 {
			checkFD(t, name+" d/dNa", dna, func(v float64) float64 { return sq(p.h, p.k, p.l, v, p.nb, p.nc) }, p.na, 1e-4, 1e-6, 1e-9*scale)
		} else if dna != 0 || dh != 0 {
			t.Errorf("%s: Na <= 1 must give zero d/dh and d/dNa, got %v, %v", name, dh, dna)
		}
		checkFD(t, name+" d/dNb", dnb, func(v float64) float64 { return sq(p.h, p.k, p.l, p.na, v, p.nc) }, p.nb, 1e-4, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dNc", dnc, func(v float64) float64 { return sq(p.h, p.k, p.l, p.na, p.nb, v) }, p.nc, 1e-4, 1e-6, 1e-9*scale)
	}
}

func TestLatticeSquareAtPeak(t *testing.T) {
	// At h = k = l = 0 the value is Na·Nb·Nc, index slopes are 0 and
	// dF/dNa = Nb·Nc.
	f, dh, dk, dl, dna, dnb, dnc := LatticeSquareGrad(0, 0, 0, 5, 6, 7)
	got := []float64{f, dh, dk, dl, dna, dnb, dnc}
	want := []float64{210, 0, 0, 0, 42, 35, 30}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("LatticeSquareGrad at origin: result %d = %v, want %v", i, got[i], want[i])
		}
	}
	// N = 1 factors are skipped (constant 1).
	if f := LatticeSquare(0.3, 0.3, 0.3, 1, 1, 1); f != 1 {
		t.Errorf("LatticeSquare with N=1: %v, want 1", f)
	}
}

func TestLatticeRoundGrad(t *testing.T) {
	for i, p := range latticePoints(33, 300) {
		h0, k0, l0 := float64(RoundHalfUp(p.h)), float64(RoundHalfUp(p.k)), float64(RoundHalfUp(p.l))
		f, dh, dk, dl, dna, dnb, dnc, dfu := LatticeRoundGrad(p.h, p.k, p.l, h0, k0, l0, p.na, p.nb, p.nc, p.fudge)
		if v := LatticeRound(p.h, p.k, p.l, h0, k0, l0, p.na, p.nb, p.nc, p.fudge); math.Float64bits(v) != math.Float64bits(f) {
			t.Errorf("case %d: LatticeRoundGrad value %v != LatticeRound %v", i, f, v)
		}
		q := hradSqr(p.h, p.k, p.l, h0, k0, l0, p.na, p.nb, p.nc) * p.fudge
		if math.Pi*math.Sqrt(q) < 0.05 {
			continue // C's sinc3 is too noisy here for differences; see TestLatticeRoundNearPeak
		}
		rd := func(h, k, l, na, nb, nc, fu float64) float64 {
			return LatticeRound(h, k, l, h0, k0, l0, na, nb, nc, fu)
		}
		scale := p.na * p.nb * p.nc * math.Max(p.na, math.Max(p.nb, p.nc))
		name := fmt.Sprintf("case %d %+v", i, p)
		checkFD(t, name+" d/dh", dh, func(v float64) float64 { return rd(v, p.k, p.l, p.na, p.nb, p.nc, p.fudge) }, p.h, 1e-6, 1e-6, 1e-8*scale)
		checkFD(t, name+" d/dk", dk, func(v float64) float64 { return rd(p.h, v, p.l, p.na, p.nb, p.nc, p.fudge) }, p.k, 1e-6, 1e-6, 1e-8*scale)
		checkFD(t, name+" d/dl", dl, func(v float64) float64 { return rd(p.h, p.k, v, p.na, p.nb, p.nc, p.fudge) }, p.l, 1e-6, 1e-6, 1e-8*scale)
		checkFD(t, name+" d/dNa", dna, func(v float64) float64 { return rd(p.h, p.k, p.l, v, p.nb, p.nc, p.fudge) }, p.na, 1e-5, 1e-6, 1e-8*scale)
		checkFD(t, name+" d/dNb", dnb, func(v float64) float64 { return rd(p.h, p.k, p.l, p.na, v, p.nc, p.fudge) }, p.nb, 1e-5, 1e-6, 1e-8*scale)
		checkFD(t, name+" d/dNc", dnc, func(v float64) float64 { return rd(p.h, p.k, p.l, p.na, p.nb, v, p.fudge) }, p.nc, 1e-5, 1e-6, 1e-8*scale)
		checkFD(t, name+" d/dfudge", dfu, func(v float64) float64 { return rd(p.h, p.k, p.l, p.na, p.nb, p.nc, v) }, p.fudge, 1e-5, 1e-6, 1e-8*scale)
	}
}

func TestLatticeRoundNearPeak(t *testing.T) {
	// At the peak itself the value is Na·Nb·Nc·0.7236…, the slopes in h, k,
	// l and fudge vanish and nothing is NaN (sqrt(0) has an infinite slope
	// that the Sinc3DxOverX form avoids). Near it, compare with the Taylor
	// form F ≈ P·(1 − π²q/10 + π⁴q²/280).
	na, nb, nc := 5.0, 7.0, 9.0
	p := na * nb * nc * roundShapeScale
	for _, off := range []float64{0, 1e-12, 1e-8, 1e-5, 1e-3} {
		for _, fu := range []float64{1, 2.5} {
			h, k, l := 3+off, -2-off/2, off/3
			f, dh, dk, dl, dna, _, _, dfu := LatticeRoundGrad(h, k, l, 3, -2, 0, na, nb, nc, fu)
			q := hradSqr(h, k, l, 3, -2, 0, na, nb, nc) * fu
			dFdq := p * (-math.Pi*math.Pi/10 + 2*math.Pow(math.Pi, 4)*q/280)
			want := []struct {
				name      string
				got, want float64
			}{
				{"d/dh", dh, dFdq * fu * 2 * (h - 3) * na * na},
				{"d/dk", dk, dFdq * fu * 2 * (k + 2) * nb * nb},
				{"d/dl", dl, dFdq * fu * 2 * l * nc * nc},
				{"d/dNa", dna, nb*nc*roundShapeScale*(1-math.Pi*math.Pi*q/10) + dFdq*fu*2*(h-3)*(h-3)*na},
				{"d/dfudge", dfu, dFdq * q / fu},
			}
			for _, w := range want {
				if math.IsNaN(w.got) || !closeTo(w.got, w.want, 1e-8, 1e-300) {
					t.Errorf("offset %g fudge %v: %s = %.17g, Taylor %.17g", off, fu, w.name, w.got, w.want)
				}
			}
			if off == 0 && f != p {
				t.Errorf("LatticeRound at the peak = %v, want %v", f, p)
			}
		}
	}
}

func TestLatticeGaussGrad(t *testing.T) {
	var r rng = 17
	for i := 0; i < 300; i++ {
		dx, dy, dz := r.uniform(-0.01, 0.01), r.uniform(-0.01, 0.01), r.uniform(-0.01, 0.01)
		na, nb, nc := r.uniform(1, 20), r.uniform(1, 20), r.uniform(1, 20)
		if i%2 == 0 {
			na, nb, nc = float64(r.intn(1, 20)), float64(r.intn(1, 20)), float64(r.intn(1, 20))
		}
		fu := r.uniform(0.2, 3)
		f, gx, gy, gz, gna, gnb, gnc, gfu := LatticeGaussGrad(dx, dy, dz, na, nb, nc, fu)
		if v := LatticeGauss(dx, dy, dz, na, nb, nc, fu); math.Float64bits(v) != math.Float64bits(f) {
			t.Errorf("case %d: LatticeGaussGrad value %v != LatticeGauss %v", i, f, v)
		}
		// The backward pass's split (exp once, then the gradient from it)
		// gives the same bits.
		fe, e := LatticeGaussExp(dx, dy, dz, na, nb, nc, fu)
		at := [8]float64{}
		at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7] = LatticeGaussGradAt(e, dx, dy, dz, na, nb, nc, fu)
		if whole := [8]float64{f, gx, gy, gz, gna, gnb, gnc, gfu}; fe != f || at != whole {
			t.Errorf("case %d: LatticeGaussExp %v and LatticeGaussGradAt %v, LatticeGaussGrad %v", i, fe, at, whole)
		}
		g := func(dx, dy, dz, na, nb, nc, fu float64) float64 { return LatticeGauss(dx, dy, dz, na, nb, nc, fu) }
		scale := na * nb * nc
		name := fmt.Sprintf("case %d", i)
		sd := 1e-7
		checkFD(t, name+" d/ddx", gx, func(v float64) float64 { return g(v, dy, dz, na, nb, nc, fu) }, dx, sd, 1e-6, 1e-10*scale/sd)
		checkFD(t, name+" d/ddy", gy, func(v float64) float64 { return g(dx, v, dz, na, nb, nc, fu) }, dy, sd, 1e-6, 1e-10*scale/sd)
		checkFD(t, name+" d/ddz", gz, func(v float64) float64 { return g(dx, dy, v, na, nb, nc, fu) }, dz, sd, 1e-6, 1e-10*scale/sd)
		checkFD(t, name+" d/dNa", gna, func(v float64) float64 { return g(dx, dy, dz, v, nb, nc, fu) }, na, 1e-4, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dNb", gnb, func(v float64) float64 { return g(dx, dy, dz, na, v, nc, fu) }, nb, 1e-4, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dNc", gnc, func(v float64) float64 { return g(dx, dy, dz, na, nb, v, fu) }, nc, 1e-4, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dfudge", gfu, func(v float64) float64 { return g(dx, dy, dz, na, nb, nc, v) }, fu, 1e-4, 1e-6, 1e-9*scale)
	}
}

func TestLatticeTophat(t *testing.T) {
	tests := []struct {
		name                       string
		dx, dy, dz, na, nb, nc, fu float64
		want                       float64
	}{
		{"inside", 0.001, 0, 0, 5, 5, 5, 1, 125},
		{"outside", 0.1, 0, 0, 5, 5, 5, 1, 0},
		{"fudge shrinks the spot", 0.004, 0, 0, 5, 5, 5, 10, 0},
		{"edge is exclusive", 1, 0, 0, 1, 1, 1, 0.3969, 0}, // rad²·fudge == 0.3969
	}
	for _, tc := range tests {
		f, gx, gy, gz, gna, gnb, gnc, gfu := LatticeTophatGrad(tc.dx, tc.dy, tc.dz, tc.na, tc.nb, tc.nc, tc.fu)
		if v := LatticeTophat(tc.dx, tc.dy, tc.dz, tc.na, tc.nb, tc.nc, tc.fu); v != f || f != tc.want {
			t.Errorf("%s: LatticeTophat %v, Grad value %v, want %v", tc.name, v, f, tc.want)
		}
		if gx != 0 || gy != 0 || gz != 0 || gfu != 0 {
			t.Errorf("%s: step function must have zero slopes, got %v %v %v %v", tc.name, gx, gy, gz, gfu)
		}
		in := tc.want / (tc.na * tc.nb * tc.nc)
		if gna != tc.nb*tc.nc*in || gnb != tc.na*tc.nc*in || gnc != tc.na*tc.nb*in {
			t.Errorf("%s: plateau slopes %v %v %v", tc.name, gna, gnb, gnc)
		}
	}
}

func TestRecipDistance(t *testing.T) {
	a, b, c := [3]float64{0.01, 0.002, -0.001}, [3]float64{-0.003, 0.02, 0.001}, [3]float64{0.0005, 0.0007, 0.03}
	h, k, l := 2.1, -0.95, 3.3
	dx, dy, dz := RecipDistance(h, k, l, 2, -1, 3, a, b, c)
	got := [3]float64{dx, dy, dz}
	for i := range 3 {
		want := float64(float64((h-2)*a[i])+float64((k+1)*b[i])) + float64((l-3)*c[i])
		if got[i] != want {
			t.Errorf("component %d = %v, want %v", i, got[i], want)
		}
		// linear: the slope along h is a*[i]
		checkFD(t, fmt.Sprintf("d(d%c)/dh", "xyz"[i]), a[i], func(v float64) float64 {
			x, y, z := RecipDistance(v, k, l, 2, -1, 3, a, b, c)
			return [3]float64{x, y, z}[i]
		}, h, 1e-3, 1e-9, 1e-15)
	}
}
