package crystal

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gobragg/dual"
)

// goldenMat is the MOSFLM matrix of the golden inputs/A.mat, written out so
// the derivative tests run without the golden folder.
var goldenMat = [9]float64{
	-0.02837711, -0.00305386, 0.02535816,
	-0.02871390, 0.01019549, -0.01400049,
	0.01050048, -0.03209440, -0.01036054,
}

// latticeParams names the seedable inputs of a derivative case.
type latticeCase struct {
	name   string
	cell   *[6]float64 // a b c (Å) alpha beta gamma (deg); nil = no user cell
	misset *[3]float64 // degrees; nil = none
	mat    bool        // use goldenMat with lambda
	lambda float64     // metres
}

// params returns the seed values in a fixed order: cell (6), misset (3),
// matrix (9), lambda (1), each group only when present.
func (c latticeCase) params() []float64 {
	var p []float64
	if c.cell != nil {
		p = append(p, c.cell[0], c.cell[1], c.cell[2], DegToRad(c.cell[3]), DegToRad(c.cell[4]), DegToRad(c.cell[5]))
	}
	if c.misset != nil {
		p = append(p, DegToRad(c.misset[0]), DegToRad(c.misset[1]), DegToRad(c.misset[2]))
	}
	if c.mat {
		p = append(p, goldenMat[:]...)
		p = append(p, c.lambda)
	}
	return p
}

// input builds the CellInput from parameter values, seeding them when seed.
func (c latticeCase) input(p []float64, seed bool) CellInput {
	n := len(p)
	num := func(i int) dual.Num {
		if seed {
			return dual.Var(p[i], i, n)
		}
		return dual.C(p[i])
	}
	var in CellInput
	in.LambdaM = dual.C(1e-10)
	i := 0
	if c.cell != nil {
		in.UserCell = true
		in.A, in.B, in.C, in.Alpha, in.Beta, in.Gamma = num(0), num(1), num(2), num(3), num(4), num(5)
		i = 6
	}
	if c.misset != nil {
		in.Misset = &[3]dual.Num{num(i), num(i + 1), num(i + 2)}
		i += 3
	}
	if c.mat {
		var m [9]dual.Num
		for k := range m {
			m[k] = num(i + k)
		}
		in.Mat = &m
		in.LambdaM = num(i + 9)
	}
	return in
}

// outputs flattens the lattice quantities whose partials are checked, each
// with the scale its error is measured against (the vector's length for a
// vector component, the value itself for a scalar).
func outputs(l Lattice) (v, scale []float64, d []dual.Num) {
	add := func(x dual.Num, s float64) {
		v = append(v, x.V)
		scale = append(scale, s)
		d = append(d, x)
	}
	for _, vec := range []dual.Vec3{l.A, l.B, l.C, l.AStar, l.BStar, l.CStar} {
		s := vec.Norm().V
		for _, x := range vec {
			add(x, s)
		}
	}
	add(l.VCellA3, math.Abs(l.VCellA3.V))
	for i := range 3 {
		add(l.LengthsA[i], l.LengthsA[i].V)
		add(l.RecipLengthsInvA[i], l.RecipLengthsInvA[i].V)
		add(l.AnglesRad[i], 1)
		add(l.RecipAnglesRad[i], 1)
	}
	return v, scale, d
}

// TestLatticeDerivatives checks every partial of the lattice (vectors,
// volume, lengths, angles) with respect to the six cell parameters, the
// three misset angles (also at exactly zero, where nanoBragg skips the
// rotation), the nine A-matrix entries and the wavelength against central
// finite differences. Step: 1e-6 of the parameter's size (1e-6 rad for
// angles); tolerance: |partial*h - Δ/2| <= 1e-8*scale + 1e-6*|Δ/2|, which
// covers the O(h^3) truncation and the O(eps*scale) rounding of the
// differences.
func TestLatticeDerivatives(t *testing.T) {
	tri := [6]float64{70, 80, 90, 75, 85, 95}
	cases := []latticeCase{
		{name: "triclinic cell", cell: &tri},
		{name: "triclinic cell with misset", cell: &tri, misset: &[3]float64{-89.968546, -31.328953, 177.753396}},
		{name: "triclinic cell with zero misset", cell: &tri, misset: &[3]float64{0, 0, 0}},
		{name: "monoclinic cell with misset", cell: &[6]float64{50, 60, 70, 90, 110, 90}, misset: &[3]float64{5, 3, 2}},
		{name: "A matrix", mat: true, lambda: 0.9768e-10},
		{name: "A matrix with misset", mat: true, lambda: 0.9768e-10, misset: &[3]float64{10, -20, 30}},
		{name: "A matrix with user cell", cell: &[6]float64{26, 31, 34, 88, 72, 68}, mat: true, lambda: 1.2e-10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.params()
			l, err := BuildLattice(c.input(p, true))
			if err != nil {
				t.Fatal(err)
			}
			_, scale, d := outputs(l)
			for i := range p {
				h := 1e-6 * math.Abs(p[i])
				if h == 0 {
					h = 1e-6
				}
				pp := append([]float64(nil), p...)
				pm := append([]float64(nil), p...)
				pp[i] += h
				pm[i] -= h
				lp, err1 := BuildLattice(c.input(pp, false))
				lm, err2 := BuildLattice(c.input(pm, false))
				if err1 != nil || err2 != nil {
					t.Fatalf("parameter %d: %v %v", i, err1, err2)
				}
				vp, _, _ := outputs(lp)
				vm, _, _ := outputs(lm)
				for k := range d {
					half := (vp[k] - vm[k]) / 2
					if diff := math.Abs(d[k].Grad(i)*h - half); diff > 1e-8*scale[k]+1e-6*math.Abs(half) {
						t.Errorf("output %d, parameter %d: partial %g, finite difference %g (scale %g)",
							k, i, d[k].Grad(i), half/h, scale[k])
					}
				}
			}
		})
	}
}

// TestBuildLatticeSeededValues checks that seeding inputs does not change
// any value: the dual part must never feed back into the value part.
func TestBuildLatticeSeededValues(t *testing.T) {
	c := latticeCase{cell: &[6]float64{70, 80, 90, 75, 85, 95}, misset: &[3]float64{0, 12, -7}, mat: true, lambda: 1e-10}
	p := c.params()
	l1, err1 := BuildLattice(c.input(p, false))
	l2, err2 := BuildLattice(c.input(p, true))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if s1, s2 := l1.Summary(), l2.Summary(); s1 != s2 {
		t.Errorf("summary differs when seeded:\n%s\n%s", s1, s2)
	}
	v1, _, _ := outputs(l1)
	v2, _, _ := outputs(l2)
	for k := range v1 {
		if math.Float64bits(v1[k]) != math.Float64bits(v2[k]) {
			t.Errorf("output %d: %v unseeded, %v seeded", k, v1[k], v2[k])
		}
	}
}

// TestLatticeReciprocity checks a.a* = 1 and a.b* = 0 (within rounding) for
// an A-matrix lattice, the user-cell lengths of a triclinic cell, and that
// the cell-default rules (b=c=a, angles 90 deg) apply to unset values. (For
// a triclinic -cell nanoBragg's reciprocal vectors are not exactly dual to
// the real ones: its default orientation and the rescaled cross products
// disagree by about 2e-4, which the golden parity tests reproduce.)
func TestLatticeReciprocity(t *testing.T) {
	deg := func(d float64) dual.Num { return dual.C(DegToRad(d)) }
	full, err := BuildLattice(CellInput{UserCell: true, A: dual.C(40), B: dual.C(40), C: dual.C(40),
		Alpha: deg(90), Beta: deg(90), Gamma: deg(90)})
	if err != nil {
		t.Fatal(err)
	}
	short, err := BuildLattice(CellInput{UserCell: true, A: dual.C(40)})
	if err != nil {
		t.Fatal(err)
	}
	if full.Summary() != short.Summary() {
		t.Errorf("unset b, c and angles do not default to a and 90 deg:\n%s\n%s", short.Summary(), full.Summary())
	}

	c := latticeCase{mat: true, lambda: 1.1e-10, misset: &[3]float64{10, 20, 30}}
	l, err := BuildLattice(c.input(c.params(), false))
	if err != nil {
		t.Fatal(err)
	}
	real := [3]dual.Vec3{l.A, l.B, l.C}
	recip := [3]dual.Vec3{l.AStar, l.BStar, l.CStar}
	for i := range 3 {
		for j := range 3 {
			want := 0.0
			if i == j {
				want = 1
			}
			got := real[i].Dot(recip[j]).V * 1e10
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("real[%d].recip[%d] = %v, want %v", i, j, got, want)
			}
		}
	}

	tri := latticeCase{cell: &[6]float64{70, 80, 90, 75, 85, 95}, misset: &[3]float64{10, 20, 30}}
	l, err = BuildLattice(tri.input(tri.params(), false))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{70, 80, 90} {
		if got := l.LengthsA[i].V; math.Abs(got-want) > 1e-12*want {
			t.Errorf("length %d = %v, want %v", i, got, want)
		}
		if got := [3]dual.Vec3{l.A, l.B, l.C}[i].Norm().V * 1e10; math.Abs(got-want) > 1e-12*want {
			t.Errorf("|vector %d| = %v Å, want %v", i, got, want)
		}
	}
}

// TestBuildLatticeErrors checks that impossible cells are rejected with an
// error that names the offending values.
func TestBuildLatticeErrors(t *testing.T) {
	deg := func(d float64) dual.Num { return dual.C(DegToRad(d)) }
	cell := func(a, b, c, al, be, ga float64) CellInput {
		return CellInput{UserCell: true, A: dual.C(a), B: dual.C(b), C: dual.C(c), Alpha: deg(al), Beta: deg(be), Gamma: deg(ga), LambdaM: dual.C(1e-10)}
	}
	mat := func(m [9]float64, lambda float64) CellInput {
		var md [9]dual.Num
		for i, v := range m {
			md[i] = dual.C(v)
		}
		return CellInput{Mat: &md, LambdaM: dual.C(lambda)}
	}
	leftHanded := goldenMat
	for i := 0; i < 9; i += 3 {
		leftHanded[i] = -leftHanded[i]
	}
	nanMat := goldenMat
	nanMat[4] = math.NaN()
	withMisset := cell(50, 50, 50, 90, 90, 90)
	withMisset.Misset = &[3]dual.Num{dual.C(0), dual.C(math.Inf(1)), dual.C(0)}
	cases := []struct {
		name string
		in   CellInput
		want []string
	}{
		{"nothing given", CellInput{}, []string{"-cell", "-mat"}},
		{"zero a", cell(0, 10, 10, 90, 90, 90), []string{"a = 0"}},
		{"negative a", cell(-5, 10, 10, 90, 90, 90), []string{"a = -5"}},
		{"NaN b", cell(10, math.NaN(), 10, 90, 90, 90), []string{"cell b is NaN"}},
		{"infinite gamma", CellInput{UserCell: true, A: dual.C(10), Gamma: dual.C(math.Inf(1))}, []string{"gamma is +Inf"}},
		{"angle sum above 360", cell(10, 10, 10, 150, 150, 150), []string{"cannot form a cell", "alpha=150"}},
		{"triangle violated", cell(10, 10, 10, 20, 30, 100), []string{"cannot form a cell", "gamma=100"}},
		{"flat cell", cell(10, 10, 10, 120, 120, 120), []string{"degenerate", "alpha=120"}},
		{"nearly flat cell", cell(10, 10, 10, 30, 30, 59.99999999999), []string{"degenerate", "gamma=60"}},
		{"angle above 180", cell(10, 10, 10, 200, 90, 90), []string{"alpha=200"}},
		{"singular matrix", mat([9]float64{1, 2, 3, 2, 4, 6, 0, 1, 0}, 1e-10), []string{"singular or left-handed"}},
		{"left-handed matrix", mat(leftHanded, 1e-10), []string{"singular or left-handed", "volume -"}},
		{"NaN matrix entry", mat(nanMat, 1e-10), []string{"entry 5 (row 2, column 2) is NaN"}},
		{"zero wavelength", mat(goldenMat, 0), []string{"wavelength 0 m"}},
		{"infinite misset", withMisset, []string{"misset angle y is +Inf"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := BuildLattice(c.in)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrCell) {
				t.Errorf("error %q does not wrap ErrCell", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestRotatePhi checks RotatePhi against a quarter turn about z and its
// phi partial against the analytic derivative (the cross product).
func TestRotatePhi(t *testing.T) {
	v := dual.V3(1, 2, 3)
	r := RotatePhi(v, [3]float64{0, 0, 1}, dual.Var(math.Pi/2, 0, 1))
	want := [3]float64{-2, 1, 3}
	for i := range 3 {
		if math.Abs(r[i].V-want[i]) > 1e-15 {
			t.Errorf("component %d = %v, want %v", i, r[i].V, want[i])
		}
	}
	// d/dphi R v = axis x (R v)
	dwant := [3]float64{-1, -2, 0}
	for i := range 3 {
		if math.Abs(r[i].Grad(0)-dwant[i]) > 1e-15 {
			t.Errorf("d component %d / dphi = %v, want %v", i, r[i].Grad(0), dwant[i])
		}
	}
}
