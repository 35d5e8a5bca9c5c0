package ensemble

import (
	"fmt"
	"math"
	"slices"

	"gobragg/dual"
	"gobragg/graph"
	"gobragg/symop"
)

// Table is the structure-factor parameters: one per symmetry-unique
// reflection of the experiments' dense table (graph.Experiment.F) with a
// positive starting amplitude.
type Table struct {
	HKL   [][3]int  // the representatives, in (h, k, l) order
	F0    []float64 // starting amplitudes (the mean over each one's equivalents)
	InvD2 []float64 // 1/d^2 in 1/Angstrom^2
	// param maps each dense-table index to its parameter, or -1 (not in
	// the table: kept at its value).
	param []int
}

// NewTable collects the parameters of exp's dense table under sym.
func NewTable(exp *graph.Experiment, sym Symmetry) (*Table, error) {
	g := exp.Setup.Grid
	if g.Count == 0 {
		return nil, fmt.Errorf("the structure factors are one default_F, not a table: give the starting table with -hkl")
	}
	recip, err := reciprocal(exp)
	if err != nil {
		return nil, err
	}
	byRep := map[[3]int][]int{}
	for i, f := range exp.F {
		if !(f > 0) {
			continue
		}
		h, k, l, _ := g.HKL(i)
		rep := sym.Reduce(h, k, l)
		byRep[rep] = append(byRep[rep], i)
	}
	if len(byRep) == 0 {
		return nil, fmt.Errorf("the starting table has no positive amplitude")
	}
	reps := make([][3]int, 0, len(byRep))
	for r := range byRep {
		reps = append(reps, r)
	}
	slices.SortFunc(reps, func(a, b [3]int) int {
		if less(a, b) {
			return -1
		}
		if less(b, a) {
			return 1
		}
		return 0
	})
	t := &Table{HKL: reps, F0: make([]float64, len(reps)), InvD2: make([]float64, len(reps)), param: make([]int, len(exp.F))}
	for i := range t.param {
		t.param[i] = -1
	}
	for p, r := range reps {
		sum := 0.0
		for _, i := range byRep[r] {
			t.param[i] = p
			sum += exp.F[i]
		}
		t.F0[p] = sum / float64(len(byRep[r]))
		var s [3]float64
		for c := range 3 {
			s[c] = float64(r[0])*recip[0][c] + float64(r[1])*recip[1][c] + float64(r[2])*recip[2][c]
		}
		t.InvD2[p] = s[0]*s[0] + s[1]*s[1] + s[2]*s[2]
	}
	return t, nil
}

// Len is the number of parameters.
func (t *Table) Len() int { return len(t.HKL) }

// reciprocal returns a*, b*, c* of exp in 1/Angstrom.
func reciprocal(exp *graph.Experiment) ([3][3]float64, error) {
	v, err := exp.BraggView(nil)
	if err != nil {
		return [3][3]float64{}, err
	}
	return v.ReciprocalAngstrom(), nil
}

// Bins splits the parameters into n resolution bins of (nearly) equal
// counts in 1/d^2 and returns each parameter's bin.
func (t *Table) Bins(n int) []int {
	order := make([]int, t.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmpFloat(t.InvD2[a], t.InvD2[b])
	})
	n = max(1, min(n, t.Len()))
	bin := make([]int, t.Len())
	for rank, p := range order {
		bin[p] = rank * n / t.Len()
	}
	return bin
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// BinMeans returns F with each value replaced by the mean of its bin.
func BinMeans(F []float64, bin []int) []float64 {
	nb := slices.Max(bin) + 1
	sum, n := make([]float64, nb), make([]float64, nb)
	for p, f := range F {
		sum[bin[p]] += f
		n[bin[p]]++
	}
	out := make([]float64, len(F))
	for p := range F {
		out[p] = sum[bin[p]] / n[bin[p]]
	}
	return out
}

// CellDifference returns how far exp's cell edges are from ref's (the largest
// relative difference).
func CellDifference(exp, ref *graph.Experiment) (float64, error) {
	a, err := reciprocal(exp)
	if err != nil {
		return 0, err
	}
	b, err := reciprocal(ref)
	if err != nil {
		return 0, err
	}
	worst := 0.0
	for i := range 3 {
		na := math.Sqrt(a[i][0]*a[i][0] + a[i][1]*a[i][1] + a[i][2]*a[i][2])
		nb := math.Sqrt(b[i][0]*b[i][0] + b[i][1]*b[i][1] + b[i][2]*b[i][2])
		worst = math.Max(worst, math.Abs(na-nb)/nb)
	}
	return worst, nil
}

// Cell returns exp's unit cell: a, b, c in Angstrom and alpha, beta, gamma
// in degrees.
func Cell(exp *graph.Experiment) ([6]float64, error) {
	v, err := exp.BraggView(nil)
	if err != nil {
		return [6]float64{}, err
	}
	var e [3][3]float64
	for i, vec := range [3]dual.Vec3{v.A, v.B, v.C} {
		for c := range 3 {
			e[i][c] = vec[c].V * 1e10
		}
	}
	dot := func(x, y [3]float64) float64 { return x[0]*y[0] + x[1]*y[1] + x[2]*y[2] }
	var cell [6]float64
	for i := range 3 {
		cell[i] = math.Sqrt(dot(e[i], e[i]))
	}
	for i, p := range [3][2]int{{1, 2}, {0, 2}, {0, 1}} {
		cell[3+i] = math.Acos(dot(e[p[0]], e[p[1]])/(cell[p[0]]*cell[p[1]])) * 180 / math.Pi
	}
	return cell, nil
}

// Group ties reflections by the rotations of a space group's operators
// (and Friedel's law unless Anomalous).
type Group struct {
	G         *symop.Group
	Anomalous bool
}

func (g Group) Reduce(h, k, l int) [3]int { return g.G.ASU([3]int{h, k, l}, g.Anomalous) }
