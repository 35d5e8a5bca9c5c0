package physics

import (
	"fmt"
	"math"
	"testing"
)

func TestLatticeGaussHKLGrad(t *testing.T) {
	for i, p := range latticePoints(29, 300) {
		h0, k0, l0 := float64(RoundHalfUp(p.h)), float64(RoundHalfUp(p.k)), float64(RoundHalfUp(p.l))
		g := func(h, k, l, na, nb, nc, fu float64) float64 {
			return LatticeGaussHKL(h, k, l, h0, k0, l0, na, nb, nc, fu)
		}
		f, dh, dk, dl, dna, dnb, dnc, dfu := LatticeGaussHKLGrad(p.h, p.k, p.l, h0, k0, l0, p.na, p.nb, p.nc, p.fudge)
		if v := g(p.h, p.k, p.l, p.na, p.nb, p.nc, p.fudge); math.Float64bits(v) != math.Float64bits(f) {
			t.Errorf("point %d: LatticeGaussHKLGrad value %v != LatticeGaussHKL %v", i, f, v)
		}
		name := fmt.Sprintf("point %d", i)
		// Steps well inside a spot's width (1/N of an index) keep the
		// central differences' truncation error below rtol.
		scale := p.na * p.nb * p.nc
		sd := 1e-6
		checkFD(t, name+" d/dh", dh, func(v float64) float64 { return g(v, p.k, p.l, p.na, p.nb, p.nc, p.fudge) }, p.h, sd, 1e-6, 1e-10*scale/sd)
		checkFD(t, name+" d/dk", dk, func(v float64) float64 { return g(p.h, v, p.l, p.na, p.nb, p.nc, p.fudge) }, p.k, sd, 1e-6, 1e-10*scale/sd)
		checkFD(t, name+" d/dl", dl, func(v float64) float64 { return g(p.h, p.k, v, p.na, p.nb, p.nc, p.fudge) }, p.l, sd, 1e-6, 1e-10*scale/sd)
		checkFD(t, name+" d/dNa", dna, func(v float64) float64 { return g(p.h, p.k, p.l, v, p.nb, p.nc, p.fudge) }, p.na, 1e-5, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dNb", dnb, func(v float64) float64 { return g(p.h, p.k, p.l, p.na, v, p.nc, p.fudge) }, p.nb, 1e-5, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dNc", dnc, func(v float64) float64 { return g(p.h, p.k, p.l, p.na, p.nb, v, p.fudge) }, p.nc, 1e-5, 1e-6, 1e-9*scale)
		checkFD(t, name+" d/dfudge", dfu, func(v float64) float64 { return g(p.h, p.k, p.l, p.na, p.nb, p.nc, v) }, p.fudge, 1e-5, 1e-6, 1e-9*scale)
	}
}

// TestLatticeGaussHKLWidths checks the shape's meaning: its peak is
// Na·Nb·Nc, and it falls to 1/e of that one 0.63^(1/2)/N of an index from
// the node along each axis, whatever the other two N.
func TestLatticeGaussHKLWidths(t *testing.T) {
	tests := []struct {
		name       string
		na, nb, nc float64
		axis       int
	}{
		{"a", 7, 20, 3, 0},
		{"b", 7, 20, 3, 1},
		{"c", 7, 20, 3, 2},
		{"cube", 10, 10, 10, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			peak := tt.na * tt.nb * tt.nc
			if f := LatticeGaussHKL(2, -3, 5, 2, -3, 5, tt.na, tt.nb, tt.nc, 1); f != peak {
				t.Errorf("at the node F = %v, want %v", f, peak)
			}
			n := [3]float64{tt.na, tt.nb, tt.nc}[tt.axis]
			off := [3]float64{2, -3, 5}
			off[tt.axis] += math.Sqrt(0.63) / n
			f := LatticeGaussHKL(off[0], off[1], off[2], 2, -3, 5, tt.na, tt.nb, tt.nc, 1)
			if want := peak / math.E; math.Abs(f-want) > 1e-12*peak {
				t.Errorf("sqrt(0.63)/N from the node F = %v, want %v", f, want)
			}
		})
	}
}
