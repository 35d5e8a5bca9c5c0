package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
)

// cell is a unit cell: lengths in Angstrom, angles in degrees.
type cell struct {
	A, B, C, Alpha, Beta, Gamma float64
}

// dSpacing returns the resolution d in Angstrom of reflection (h, k, l),
// or +Inf for (0, 0, 0), from the reciprocal metric tensor of any cell.
func (c cell) dSpacing(h, k, l int) float64 {
	rad := math.Pi / 180
	ca, cb, cg := math.Cos(c.Alpha*rad), math.Cos(c.Beta*rad), math.Cos(c.Gamma*rad)
	sa, sb, sg := math.Sin(c.Alpha*rad), math.Sin(c.Beta*rad), math.Sin(c.Gamma*rad)
	v := c.A * c.B * c.C * math.Sqrt(1-ca*ca-cb*cb-cg*cg+2*ca*cb*cg)
	// Reciprocal lengths and angle cosines.
	as, bs, cs := c.B*c.C*sa/v, c.A*c.C*sb/v, c.A*c.B*sg/v
	cas := (cb*cg - ca) / (sb * sg)
	cbs := (ca*cg - cb) / (sa * sg)
	cgs := (ca*cb - cg) / (sa * sb)
	H, K, L := float64(h), float64(k), float64(l)
	s2 := H*H*as*as + K*K*bs*bs + L*L*cs*cs + 2*K*L*bs*cs*cas + 2*H*L*as*cs*cbs + 2*H*K*as*bs*cgs
	return 1 / math.Sqrt(s2)
}

// wilson describes the synthetic structure-factor amplitudes.
type wilson struct {
	// BFactor is the overall temperature factor in Angstrom^2: the mean
	// intensity falls as exp(-B s^2 / 2) with s = 1/d.
	BFactor float64
	// SolventD is the resolution in Angstrom below which bulk-solvent
	// contrast weakens the strongest low-resolution terms.
	SolventD float64
	// MeanF is the amplitude scale (electrons) at s = 0 before the solvent term.
	MeanF float64
	// Seed makes the amplitudes reproducible.
	Seed uint64
}

// amplitude returns the deterministic pseudo-random |F| of (h, k, l) at
// resolution d. Friedel mates (h, k, l) and (-h, -k, -l) share one draw,
// and |F| follows the acentric Wilson (Rayleigh) distribution around the
// mean intensity at d.
func (w wilson) amplitude(h, k, l int, d float64) float64 {
	if h < 0 || (h == 0 && k < 0) || (h == 0 && k == 0 && l < 0) {
		h, k, l = -h, -k, -l
	}
	key := w.Seed ^ uint64(h+512)<<40 ^ uint64(k+512)<<20 ^ uint64(l+512)
	// Rayleigh draw with <r^2> = 1 from one uniform.
	r := math.Sqrt(-math.Log(unit(splitmix(key))))
	s := 1 / d
	meanI := math.Exp(-w.BFactor * s * s / 2)
	sd := s * w.SolventD
	meanI *= 1 - 0.85*math.Exp(-sd*sd*2)
	return w.MeanF * math.Sqrt(meanI) * r
}

// splitmix is the SplitMix64 output function: a fixed bijective hash.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// unit maps a hash to (0, 1].
func unit(x uint64) float64 { return (float64(x>>11) + 1) / (1 << 53) }

// writeHKL writes "h k l F" for every reflection of c with d >= dminA
// (Angstrom) and returns how many it wrote.
func writeHKL(out io.Writer, c cell, dminA float64, w wilson) (int, error) {
	bw := bufio.NewWriter(out)
	hmax := int(c.A/dminA) + 1
	kmax := int(c.B/dminA) + 1
	lmax := int(c.C/dminA) + 1
	n := 0
	for h := -hmax; h <= hmax; h++ {
		for k := -kmax; k <= kmax; k++ {
			for l := -lmax; l <= lmax; l++ {
				if h == 0 && k == 0 && l == 0 {
					continue
				}
				d := c.dSpacing(h, k, l)
				if d < dminA {
					continue
				}
				fmt.Fprintf(bw, "%d %d %d %.2f\n", h, k, l, w.amplitude(h, k, l, d))
				n++
			}
		}
	}
	return n, bw.Flush()
}
