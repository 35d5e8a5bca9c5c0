package crand

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"gobragg/dual"
)

// rotationVector returns the rotation vector (axis times angle, radians)
// of a row-major rotation matrix with an angle below pi.
func rotationVector(m dual.Mat3) [3]float64 {
	tr := m[0].V + m[4].V + m[8].V
	angle := math.Acos(math.Max(-1, math.Min(1, (tr-1)/2)))
	s := 2 * math.Sin(angle)
	if s == 0 {
		return [3]float64{}
	}
	return [3]float64{
		angle * (m[7].V - m[5].V) / s,
		angle * (m[2].V - m[6].V) / s,
		angle * (m[3].V - m[1].V) / s,
	}
}

// Each matrix is a rotation whose rotation vector is sigma times the
// normal deviates of its draws, and its derivative with respect to sigma
// matches central differences (h = 1e-4 sigma: the value is float64
// throughout, so the truncation error, of order h^2, dominates).
func TestNormalMosaicUmat(t *testing.T) {
	gen := New() // one ran1 stream for the ran1 case's draws
	for _, tc := range []struct {
		name  string
		sigma float64
		draw  func(i int, seed *int64) (float64, float64, float64)
	}{
		{"halton 0.08 degree", 0.08 * math.Pi / 180, func(i int, _ *int64) (float64, float64, float64) { return HaltonDraw(i + 1) }},
		{"ran1 0.5 degree", 0.5 * math.Pi / 180, func(_ int, seed *int64) (float64, float64, float64) { return gen.MosaicDraw(seed) }},
		{"halton 0.2 rad", 0.2, func(i int, _ *int64) (float64, float64, float64) { return HaltonDraw(i + 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := int64(-5)
			for d := 0; d < 64; d++ {
				r1, r2, r3 := tc.draw(d, &seed)
				m := NormalMosaicUmat(dual.Var(tc.sigma, 0, 1), r1, r2, r3)
				det := m[0].V*(m[4].V*m[8].V-m[5].V*m[7].V) - m[1].V*(m[3].V*m[8].V-m[5].V*m[6].V) + m[2].V*(m[3].V*m[7].V-m[4].V*m[6].V)
				if math.Abs(det-1) > 1e-12 {
					t.Fatalf("draw %d: det %v", d, det)
				}
				v := rotationVector(m)
				for i, r := range []float64{r1, r2, r3} {
					want := tc.sigma * normalDeviate(r)
					if math.Abs(v[i]-want) > 1e-9*math.Max(tc.sigma, 1) {
						t.Fatalf("draw %d: rotation vector %v, want component %d = %v", d, v, i, want)
					}
				}
				h := 1e-4 * tc.sigma
				up := NormalMosaicUmat(dual.C(tc.sigma+h), r1, r2, r3)
				dn := NormalMosaicUmat(dual.C(tc.sigma-h), r1, r2, r3)
				for i := range m {
					fd := (up[i].V - dn[i].V) / (2 * h)
					if math.Abs(fd-m[i].Grad(0)) > 1e-6*(1+math.Abs(fd)) {
						t.Errorf("draw %d element %d: d/dsigma %v, finite difference %v", d, i, m[i].Grad(0), fd)
					}
				}
			}
		})
	}
}

// Over many Halton domains each component of the rotation vector has
// standard deviation sigma (within 2 %: the Halton points' quantiles
// sample the normal evenly) and about 4.6 % of them lie beyond 2 sigma,
// as a normal's do; C's cap of radius sigma has none beyond sigma.
func TestNormalMosaicSpread(t *testing.T) {
	const sigma, n = 1e-3, 4096
	comps := make([][]float64, 3)
	beyond := 0
	for i := 1; i <= n; i++ {
		r1, r2, r3 := HaltonDraw(i)
		v := rotationVector(NormalMosaicUmat(dual.C(sigma), r1, r2, r3))
		for k := range comps {
			comps[k] = append(comps[k], v[k])
			if math.Abs(v[k]) > 2*sigma {
				beyond++
			}
		}
		capV := rotationVector(MosaicUmat(dual.C(sigma), r1, r2, r3))
		if l := math.Hypot(math.Hypot(capV[0], capV[1]), capV[2]); l > sigma*(1+1e-6) {
			t.Fatalf("domain %d: C's cap turns by %v, beyond its radius %v", i, l, sigma)
		}
	}
	for k, c := range comps {
		if sd := stat.StdDev(c, nil); math.Abs(sd/sigma-1) > 0.02 {
			t.Errorf("component %d: standard deviation %v, want %v", k, sd, sigma)
		}
	}
	if frac := float64(beyond) / (3 * n); math.Abs(frac-0.0455) > 0.005 {
		t.Errorf("%.4f of the components beyond 2 sigma, a normal has 0.0455", frac)
	}
}
