package crystal

import (
	"math"
	"testing"

	"gobragg/dual"
)

// lCysteine is DIALS's L-cysteine crystal (11_integrated.expt), Å.
var lCysteine = [3][3]float64{
	{4.249015511288146, 2.5362218260152654, -2.243776554586684},
	{-1.0980785124623333, 6.293445190961343, 5.034289354254813},
	{7.337749317454328, -5.164946642232901, 8.057290832554557},
}

func ubInput(cell [6]float64, seed int) CellInput {
	var real [3]dual.Vec3
	for i, v := range lCysteine {
		real[i] = dual.V3(v[0], v[1], v[2])
	}
	var rc [6]dual.Num
	for i, v := range cell {
		rc[i] = dual.C(v)
		if i == seed {
			rc[i] = dual.Var(v, 0, 1)
		}
	}
	return CellInput{RealA: &real, RealCell: &rc}
}

// TestUBCellKeepsVectors: at the vectors' own constants the lattice is the
// vectors, bit for bit.
func TestUBCellKeepsVectors(t *testing.T) {
	plain, err := BuildLattice(ubInput(CellOf(lCysteine), -1).withoutCell())
	if err != nil {
		t.Fatal(err)
	}
	ub, err := BuildLattice(ubInput(CellOf(lCysteine), -1))
	if err != nil {
		t.Fatal(err)
	}
	for i, pair := range [][2]dual.Vec3{{plain.A, ub.A}, {plain.B, ub.B}, {plain.C, ub.C}} {
		if pair[0].Values() != pair[1].Values() {
			t.Errorf("vector %d: %v with the cell constants, %v without", i, pair[1].Values(), pair[0].Values())
		}
	}
}

func (in CellInput) withoutCell() CellInput { in.RealCell = nil; return in }

// TestUBCellMoves: new constants give a cell of those constants in the
// same orientation (a stays along its direction, b in the a-b plane), and
// the derivatives agree with central differences.
func TestUBCellMoves(t *testing.T) {
	c0 := CellOf(lCysteine)
	for k := range 6 {
		c := c0
		step := 0.01
		if k >= 3 {
			step = 0.002 // radians
		}
		c[k] += step
		l, err := BuildLattice(ubInput(c, k))
		if err != nil {
			t.Fatal(err)
		}
		var v [3][3]float64
		for i, vec := range []dual.Vec3{l.A, l.B, l.C} {
			v[i] = vec.Values()
			for j := range 3 {
				v[i][j] *= 1e10 // metres to Å
			}
		}
		got := CellOf(v)
		for i := range 6 {
			if math.Abs(got[i]-c[i]) > 1e-9*math.Max(1, math.Abs(c[i])) {
				t.Errorf("constant %d moved by %g: constant %d is %.12g, want %.12g", k, step, i, got[i], c[i])
			}
		}
		a0 := lCysteine[0]
		cosA := (v[0][0]*a0[0] + v[0][1]*a0[1] + v[0][2]*a0[2]) / (got[0] * math.Sqrt(a0[0]*a0[0]+a0[1]*a0[1]+a0[2]*a0[2]))
		if 1-cosA > 1e-12 {
			t.Errorf("constant %d: a turned by %g rad", k, math.Acos(math.Min(1, cosA)))
		}
		// Central differences of every component of a, b, c.
		h := 1e-6
		cp, cm := c, c
		cp[k] += h
		cm[k] -= h
		lp, _ := BuildLattice(ubInput(cp, -1))
		lm, _ := BuildLattice(ubInput(cm, -1))
		for i, trio := range [][3]dual.Vec3{{l.A, lp.A, lm.A}, {l.B, lp.B, lm.B}, {l.C, lp.C, lm.C}} {
			for j := range 3 {
				fd := (trio[1][j].V - trio[2][j].V) / (2 * h)
				d := 0.0
				if len(trio[0][j].D) > 0 {
					d = trio[0][j].D[0]
				}
				if math.Abs(d-fd) > 1e-6*math.Max(1e-10, math.Abs(fd)) && math.Abs(d-fd) > 1e-18 {
					t.Errorf("d vector %d[%d] / d constant %d = %g, central difference %g", i, j, k, d, fd)
				}
			}
		}
	}
}
