package tracediff

import (
	"fmt"
	"math"
	"sort"
)

// DefaultTol is the default relative tolerance: far above the 1e-15
// relative rounding of C's %.15g output, far below any physics error.
const DefaultTol = 1e-9

// NearZero sets the floor of the denominator of the relative error as a
// fraction of the largest magnitude on the line (see the package comment).
// A component smaller than NearZero times the largest component of its line
// is compared absolutely, at tol*NearZero*scale.
const NearZero = 1e-6

// Diff is one value that differs between the two traces, or one line that
// only one of them has.
type Diff struct {
	Name       string // quantity name; "phi[tic=N].key" for per-phi values
	Occurrence int    // which occurrence of Name (1-based)
	Index      int    // component index on the line (0-based); -1 for a whole line
	A, B       string // the values as printed in the first (C) and second (Go) trace; "" when absent
	RelErr     float64
	LineA      int    // line number in the first trace (0 when absent)
	LineB      int    // line number in the second trace (0 when absent)
	TextA      string // the whole lines, for reports
	TextB      string
	Note       string // why a whole line differs: "missing in GO", "value count 3 vs 2", ...
}

// Missing is a name that only one trace has, with how often it occurs.
type Missing struct {
	Name  string
	Count int
}

// Result is the outcome of Compare.
type Result struct {
	Tol      float64
	Compared int    // number of value pairs compared
	Diffs    []Diff // in order of the first trace's lines (lines only in the second trace last)
	OnlyA    []Missing
	OnlyB    []Missing
}

// Differ reports whether the traces differ: some value differs beyond the
// tolerance, an occurrence count differs, or the first trace has a name the
// second lacks. Names only the second trace has do not count.
func (r *Result) Differ() bool { return len(r.Diffs) > 0 || len(r.OnlyA) > 0 }

// RelErr returns the relative difference of a and b,
// |a-b| / max(|a|, |b|, NearZero*scale), where scale is the largest magnitude
// among the values of the line they come from. Equal values (0 and -0
// included), two NaNs and two equal infinities give 0; NaN against a number
// and an infinity against anything else give +Inf.
func RelErr(a, b, scale float64) float64 {
	switch {
	case a == b, math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a), math.IsNaN(b), math.IsInf(a, 0), math.IsInf(b, 0):
		return math.Inf(1)
	}
	den := math.Max(math.Max(math.Abs(a), math.Abs(b)), NearZero*scale)
	return math.Abs(a-b) / den
}

// lineScale returns the largest finite magnitude among the numeric tokens of
// both lines.
func lineScale(a, b []string) float64 {
	s := 0.0
	for _, vs := range [][]string{a, b} {
		for _, t := range vs {
			if v, ok := parseNumber(t); ok && !math.IsInf(v, 0) && !math.IsNaN(v) {
				s = math.Max(s, math.Abs(v))
			}
		}
	}
	return s
}

// tokenErr compares two tokens: numerically when both are numbers, as
// strings otherwise (+Inf when they differ).
func tokenErr(a, b string, scale float64) float64 {
	va, okA := parseNumber(a)
	vb, okB := parseNumber(b)
	if okA && okB {
		return RelErr(va, vb, scale)
	}
	if a == b {
		return 0
	}
	return math.Inf(1)
}

// Compare compares trace a (nanoBragg's) with trace b (gobragg's) at relative
// tolerance tol. tol must be >= 0.
func Compare(a, b *Trace, tol float64) (*Result, error) {
	if !(tol >= 0) {
		return nil, fmt.Errorf("tolerance %g: must be >= 0", tol)
	}
	res := &Result{Tol: tol}
	type key struct {
		name string
		occ  int
	}
	var diffs []Diff

	// Named lines.
	bIdx := map[key]*Line{}
	bCount := map[string]int{}
	for i := range b.Lines {
		l := &b.Lines[i]
		bIdx[key{l.Name, l.Occurrence}] = l
		bCount[l.Name]++
	}
	aCount := map[string]int{}
	for i := range a.Lines {
		aCount[a.Lines[i].Name]++
	}
	for i := range a.Lines {
		la := &a.Lines[i]
		if bCount[la.Name] == 0 {
			continue // reported in OnlyA
		}
		lb, ok := bIdx[key{la.Name, la.Occurrence}]
		if !ok {
			diffs = append(diffs, Diff{Name: la.Name, Occurrence: la.Occurrence, Index: -1,
				RelErr: math.Inf(1), LineA: la.LineNo, TextA: la.Text,
				Note: fmt.Sprintf("occurrence %d missing in %s (%d vs %d)", la.Occurrence, b.Family, aCount[la.Name], bCount[la.Name])})
			continue
		}
		diffs = append(diffs, compareValues(la.Name, la.Occurrence, la.Values, lb.Values, la.LineNo, lb.LineNo, la.Text, lb.Text, tol, &res.Compared)...)
	}
	for i := range b.Lines {
		lb := &b.Lines[i]
		if aCount[lb.Name] > 0 && lb.Occurrence > aCount[lb.Name] {
			diffs = append(diffs, Diff{Name: lb.Name, Occurrence: lb.Occurrence, Index: -1,
				RelErr: math.Inf(1), LineB: lb.LineNo, TextB: lb.Text,
				Note: fmt.Sprintf("occurrence %d missing in %s (%d vs %d)", lb.Occurrence, a.Family, aCount[lb.Name], bCount[lb.Name])})
		}
	}
	res.OnlyA = onlyIn(a.Lines, bCount)
	res.OnlyB = onlyIn(b.Lines, aCount)

	// Per-phi lines, matched by phi_tic and occurrence.
	bPhi := map[key]*PhiLine{}
	for i := range b.Phi {
		p := &b.Phi[i]
		bPhi[key{p.Tic, p.Occurrence}] = p
	}
	aPhi := map[key]bool{}
	for i := range a.Phi {
		pa := &a.Phi[i]
		aPhi[key{pa.Tic, pa.Occurrence}] = true
		name := "phi[tic=" + pa.Tic + "]"
		pb, ok := bPhi[key{pa.Tic, pa.Occurrence}]
		if !ok {
			diffs = append(diffs, Diff{Name: name, Occurrence: pa.Occurrence, Index: -1,
				RelErr: math.Inf(1), LineA: pa.LineNo, TextA: pa.Text, Note: "missing in " + string(b.Family)})
			continue
		}
		for _, k := range pa.Keys {
			vb, ok := pb.Values[k]
			if !ok {
				diffs = append(diffs, Diff{Name: name + "." + k, Occurrence: pa.Occurrence, Index: -1,
					A: pa.Values[k], RelErr: math.Inf(1), LineA: pa.LineNo, LineB: pb.LineNo,
					TextA: pa.Text, TextB: pb.Text, Note: "key missing in " + string(b.Family)})
				continue
			}
			res.Compared++
			// Each key is a scalar quantity: purely relative comparison.
			if e := tokenErr(pa.Values[k], vb, 0); e > tol {
				diffs = append(diffs, Diff{Name: name + "." + k, Occurrence: pa.Occurrence, Index: 0,
					A: pa.Values[k], B: vb, RelErr: e, LineA: pa.LineNo, LineB: pb.LineNo,
					TextA: pa.Text, TextB: pb.Text})
			}
		}
	}
	for i := range b.Phi {
		pb := &b.Phi[i]
		if !aPhi[key{pb.Tic, pb.Occurrence}] {
			diffs = append(diffs, Diff{Name: "phi[tic=" + pb.Tic + "]", Occurrence: pb.Occurrence, Index: -1,
				RelErr: math.Inf(1), LineB: pb.LineNo, TextB: pb.Text, Note: "missing in " + string(a.Family)})
		}
	}

	// Order by the first trace's line (lines only in the second trace last,
	// by their own line), then component.
	sort.SliceStable(diffs, func(i, j int) bool {
		di, dj := diffs[i], diffs[j]
		if (di.LineA == 0) != (dj.LineA == 0) {
			return di.LineA != 0
		}
		if di.LineA != dj.LineA {
			return di.LineA < dj.LineA
		}
		if di.LineB != dj.LineB {
			return di.LineB < dj.LineB
		}
		return di.Index < dj.Index
	})
	res.Diffs = diffs
	return res, nil
}

// compareValues compares the value tokens of two matched named lines.
func compareValues(name string, occ int, va, vb []string, lineA, lineB int, textA, textB string, tol float64, compared *int) []Diff {
	if len(va) != len(vb) {
		return []Diff{{Name: name, Occurrence: occ, Index: -1, RelErr: math.Inf(1),
			LineA: lineA, LineB: lineB, TextA: textA, TextB: textB,
			Note: fmt.Sprintf("value count %d vs %d", len(va), len(vb))}}
	}
	scale := lineScale(va, vb)
	var out []Diff
	for i := range va {
		*compared++
		if e := tokenErr(va[i], vb[i], scale); e > tol {
			out = append(out, Diff{Name: name, Occurrence: occ, Index: i, A: va[i], B: vb[i], RelErr: e,
				LineA: lineA, LineB: lineB, TextA: textA, TextB: textB})
		}
	}
	return out
}

// onlyIn lists the names of lines that other does not have, in first-seen
// order, with their counts.
func onlyIn(lines []Line, other map[string]int) []Missing {
	var out []Missing
	idx := map[string]int{}
	for _, l := range lines {
		if other[l.Name] > 0 {
			continue
		}
		if i, ok := idx[l.Name]; ok {
			out[i].Count++
			continue
		}
		idx[l.Name] = len(out)
		out = append(out, Missing{Name: l.Name, Count: 1})
	}
	return out
}
