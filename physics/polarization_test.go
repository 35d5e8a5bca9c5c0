package physics

import (
	"fmt"
	"math"
	"testing"

	"gobragg/dual"
)

func randVec(r *rng, lo, hi float64) [3]float64 {
	return [3]float64{r.uniform(lo, hi), r.uniform(lo, hi), r.uniform(lo, hi)}
}

// polarizationDual is polarization_factor written with dual numbers seeded
// on incident (0..2), diffracted (3..5) and kahn (6); it follows C's branch
// on kahn, so its kahn partial is used only where kahn ≠ 0. Its atan2 and cos
// values are this package's (libm.go), as Polarization's: dual's are the
// correctly rounded ones.
func polarizationDual(kahn float64, incident, diffracted, axis [3]float64) dual.Num {
	const n = 7
	in := dual.Vec3{dual.Var(incident[0], 0, n), dual.Var(incident[1], 1, n), dual.Var(incident[2], 2, n)}
	di := dual.Vec3{dual.Var(diffracted[0], 3, n), dual.Var(diffracted[1], 4, n), dual.Var(diffracted[2], 5, n)}
	k := dual.Var(kahn, 6, n)
	i, _ := in.Unit()
	d, _ := di.Unit()
	a, _ := dual.V3(axis[0], axis[1], axis[2]).Unit()
	c := i.Dot(d)
	c2 := dual.Mul(c, c)
	s2 := dual.Sub(dual.C(1), c2)
	psi := dual.C(0)
	if kahn != 0 {
		b, _ := a.Cross(i).Unit()
		e, _ := i.Cross(b).Unit()
		y, x := d.Dot(b), d.Dot(e)
		a := dual.Atan2(y, x)
		a.V = atan2(y.V, x.V)
		psi = dual.Neg(a)
	}
	cos2psi := dual.Cos(dual.Scale(2, psi))
	cos2psi.V = cos(2 * psi.V)
	t := dual.Mul(dual.Mul(k, cos2psi), s2)
	return dual.Scale(0.5, dual.Sub(dual.Add(dual.C(1), c2), t))
}

func TestPolarizationGrad(t *testing.T) {
	var r rng = 99
	kahns := []float64{0, 1, 0.5, -0.3, 0.9}
	for i := 0; i < 250; i++ {
		kahn := kahns[i%len(kahns)]
		inc := randVec(&r, -1, 1)
		dif := randVec(&r, -2, 2)
		axis := randVec(&r, -1, 1)
		if i%3 == 0 { // nanoBragg-like: beam along x, axis along z, small 2θ
			inc = [3]float64{r.uniform(0.9, 1.1), 0, 0}
			axis = [3]float64{0, 0, 1}
			dif = [3]float64{r.uniform(0.05, 0.3), r.uniform(-0.05, 0.05), r.uniform(-0.05, 0.05)}
		}
		p, gi, gd, gk := PolarizationGrad(kahn, inc, dif, axis)
		if v := Polarization(kahn, inc, dif, axis); math.Float64bits(v) != math.Float64bits(p) {
			t.Errorf("case %d: PolarizationGrad value %v != Polarization %v", i, p, v)
		}
		ref := polarizationDual(kahn, inc, dif, axis)
		if math.Float64bits(ref.V) != math.Float64bits(p) {
			t.Errorf("case %d: Polarization %v, dual-number C-order evaluation %v", i, p, ref.V)
		}
		name := fmt.Sprintf("case %d kahn=%v", i, kahn)
		for j := range 3 {
			if !closeTo(gi[j], ref.Grad(j), 1e-11, 1e-14) {
				t.Errorf("%s: dIncident[%d] = %.17g, dual %.17g", name, j, gi[j], ref.Grad(j))
			}
			if !closeTo(gd[j], ref.Grad(3+j), 1e-11, 1e-14) {
				t.Errorf("%s: dDiffracted[%d] = %.17g, dual %.17g", name, j, gd[j], ref.Grad(3+j))
			}
			step := 1e-5 * (1 + math.Abs(inc[j]))
			checkFD(t, fmt.Sprintf("%s dIncident[%d]", name, j), gi[j], func(v float64) float64 {
				w := inc
				w[j] = v
				return Polarization(kahn, w, dif, axis)
			}, inc[j], step, 1e-6, 1e-10)
			step = 1e-5 * (1 + math.Abs(dif[j]))
			checkFD(t, fmt.Sprintf("%s dDiffracted[%d]", name, j), gd[j], func(v float64) float64 {
				w := dif
				w[j] = v
				return Polarization(kahn, inc, w, axis)
			}, dif[j], step, 1e-6, 1e-10)
		}
		if kahn != 0 && !closeTo(gk, ref.Grad(6), 1e-11, 1e-14) {
			t.Errorf("%s: dKahn = %.17g, dual %.17g", name, gk, ref.Grad(6))
		}
		// P is linear in kahn away from 0, so a difference across the
		// kahn = 0 branch still measures the true slope.
		checkFD(t, name+" dKahn", gk, func(v float64) float64 { return Polarization(v, inc, dif, axis) }, kahn+1e-3, 1e-4, 1e-8, 1e-12)
		// unitization makes P scale-invariant in each vector
		if d := gi[0]*inc[0] + gi[1]*inc[1] + gi[2]*inc[2]; math.Abs(d) > 1e-12 {
			t.Errorf("%s: dIncident·incident = %g, want 0", name, d)
		}
		if d := gd[0]*dif[0] + gd[1]*dif[1] + gd[2]*dif[2]; math.Abs(d) > 1e-12 {
			t.Errorf("%s: dDiffracted·diffracted = %g, want 0", name, d)
		}
	}
}

func TestPolarizationSpecialCases(t *testing.T) {
	x, y, z := [3]float64{1, 0, 0}, [3]float64{0, 1, 0}, [3]float64{0, 0, 1}
	tests := []struct {
		name           string
		kahn           float64
		inc, dif, axis [3]float64
		want           float64
	}{
		{"forward scattering", 0.9, x, x, z, 1},
		{"unpolarized at 90°", 0, x, y, z, 0.5},
		{"polarized, scattered along E", 1, x, z, z, 0},
		{"polarized, scattered along B", 1, x, y, z, 1},
		{"scale of inputs ignored", 0, [3]float64{3, 0, 0}, [3]float64{0, 0.2, 0}, z, 0.5},
		{"axis along beam: psi undefined, 0", 1, x, y, x, 0},
	}
	for _, tc := range tests {
		p, gi, gd, _ := PolarizationGrad(tc.kahn, tc.inc, tc.dif, tc.axis)
		if v := Polarization(tc.kahn, tc.inc, tc.dif, tc.axis); !closeTo(v, tc.want, 1e-15, 1e-16) || v != p {
			t.Errorf("%s: Polarization = %v (grad value %v), want %v", tc.name, v, p, tc.want)
		}
		for j := range 3 {
			if math.IsNaN(gi[j]) || math.IsNaN(gd[j]) {
				t.Errorf("%s: NaN gradient %v %v", tc.name, gi, gd)
			}
		}
	}
	// Zero vectors: C unitizes them to zero; no NaN.
	if p, gi, gd, gk := PolarizationGrad(1, [3]float64{}, y, z); math.IsNaN(p + gi[0] + gi[1] + gi[2] + gd[0] + gd[1] + gd[2] + gk) {
		t.Errorf("zero incident vector gives NaN: %v %v %v %v", p, gi, gd, gk)
	}
}

func ExamplePolarization() {
	// 2θ = 30° in the horizontal plane, beam along x, axis along z.
	tt := 30 * math.Pi / 180
	incident := [3]float64{1, 0, 0}
	diffracted := [3]float64{math.Cos(tt), math.Sin(tt), 0}
	axis := [3]float64{0, 0, 1}
	fmt.Printf("unpolarized:   %.6f\n", Polarization(0, incident, diffracted, axis))
	fmt.Printf("Kahn factor 1: %.6f\n", Polarization(1, incident, diffracted, axis))
	p, _, dDiff, dKahn := PolarizationGrad(0.5, incident, diffracted, axis)
	fmt.Printf("Kahn 0.5: P=%.6f dP/dkahn=%.6f dP/ddiffracted_xy=[%.6f %.6f]\n", p, dKahn, dDiff[0], dDiff[1])
	// Output:
	// unpolarized:   0.875000
	// Kahn factor 1: 1.000000
	// Kahn 0.5: P=0.937500 dP/dkahn=0.125000 dP/ddiffracted_xy=[0.108253 -0.187500]
}
