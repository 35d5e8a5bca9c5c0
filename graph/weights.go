package graph

import (
	"fmt"
	"math"
)

// Source weights (the fourth column of a -sourcefile). C nanoBragg reads
// and ignores them; spec mode weights each source's terms, so that a
// polychromatic spectrum is simulated (and fitted) with its intensities.
// The kernel renders a weighted pixel source by source, each pass the
// ordinary loop nest with one source, and adds the passes with the
// weights; the factors applied outside the sum (solid angle, polarization,
// capture) are those of the first source's pass, as in the unweighted loop
// where they are evaluated at the first source.

// SourceWeights normalises per-source weights so that they add up to the
// number of sources (equal weights are then all 1, and the image keeps
// nanoBragg's normalisation by the number of sources). It returns nil when
// every weight is the same, so that such runs take the unweighted loop
// unchanged, and an error for a negative or non-finite weight or when all
// are zero.
func SourceWeights(weights []float64) ([]float64, error) {
	sum := 0.0
	equal := true
	for i, w := range weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("source %d has weight %g: weights must be finite and not negative", i+1, w)
		}
		sum += w
		equal = equal && w == weights[0]
	}
	if equal {
		return nil, nil
	}
	if !(sum > 0) {
		return nil, fmt.Errorf("every source has weight 0")
	}
	out := make([]float64, len(weights))
	for i, w := range weights {
		out[i] = w * float64(len(weights)) / sum
	}
	return out, nil
}

// pixelSources is pixel for the kernel's sources: the ordinary loop when
// the sources are not weighted, else one pass per source added with the
// weights. With gp the vector-Jacobian product is accumulated as well.
// v is the pixel's panel and in that panel's inputs; st is scratch.
func (k *Diffraction) pixelSources(st *pixelState, v *Setup, in *inputs, fp, sp int, first bool, cut interpCut, gp *pixGrad) pixelResult {
	if k.SourceWeights == nil {
		return v.pixel(st, in, fp, sp, first, cut, passOf(gp))
	}
	running := v.runningSum()
	one := *v
	one.NSources = 1
	var total pixelResult
	for s, w := range k.SourceWeights {
		sub := *in
		sub.src = in.src[s*srcLen : (s+1)*srcLen]
		sub.polar = in.polar[s : s+1]
		var sgp *pixGrad
		var acc gradAcc
		if gp != nil {
			acc = *gp.acc // shares the accumulators but for this source's
			acc.src = gp.acc.src[s*srcLen : (s+1)*srcLen]
			sgp = &pixGrad{gI: w * gp.gI, acc: &acc, curved: gp.curved}
			if running {
				// C's running sum: each pass's adjoints need that pass's own
				// total factor (the caller's logTotal is the whole pixel's).
				sgp.logTotal = one.pixel(st, &sub, fp, sp, first && s == 0, cut, forwardPass{}).logQ
			}
			if s == 0 {
				sgp.gOuter = gp.gOuter
			}
		}
		r := one.pixel(st, &sub, fp, sp, first && s == 0, cut, passOf(sgp))
		if gp != nil {
			gp.acc.touched = acc.touched // the structure-factor entries this pass touched
		}
		if s == 0 {
			total = r
			total.I = 0
		}
		total.I += w * r.I
	}
	return total
}

// split is Setup.split with, for weighted sources, the water background
// of one source's pass: each pass's background stage adds it once, so
// 1/nsrc of it per pass makes the weighted sum (weights adding to nsrc)
// add it once.
func (k *Diffraction) split(in [][]float64) inputs {
	v := k.Setup.split(in)
	if k.SourceWeights != nil {
		nsrc := float64(len(k.SourceWeights))
		v.bg /= nsrc
		v.bgPart = 1 / nsrc
	}
	return v
}
