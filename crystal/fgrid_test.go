package crystal

import (
	"math"
	"testing"
)

var sparseRefl = []Reflection{
	{0, 0, 0, 100}, {1, 0, 0, 50}, {0, 1, 0, 25}, {1, 1, 0, 12.5}, {2, 0, 0, 200},
	{0, 2, 0, 150}, {0, 0, 1, 80}, {0, -1, 1, 60}, {0, 1, -2, 40},
}

func TestFGridLookup(t *testing.T) {
	for _, def := range []float64{0, 10} {
		g := NewFGrid(sparseRefl, def)
		if g.Hmin != 0 || g.Hmax != 2 || g.Kmin != -1 || g.Kmax != 2 || g.Lmin != -2 || g.Lmax != 1 {
			t.Fatalf("ranges h %d..%d k %d..%d l %d..%d", g.Hmin, g.Hmax, g.Kmin, g.Kmax, g.Lmin, g.Lmax)
		}
		if len(g.F) != 3*4*4 || g.Count != len(sparseRefl) {
			t.Fatalf("len(F) = %d, Count = %d", len(g.F), g.Count)
		}
		for _, r := range sparseRefl {
			if got := g.Lookup(r.H, r.K, r.L, def); got != r.F {
				t.Errorf("default %v: F(%d,%d,%d) = %v, want %v", def, r.H, r.K, r.L, got, r.F)
			}
		}
		cases := []struct {
			h, k, l int
			want    float64
			in      bool
		}{
			{2, 2, 1, def, true},   // inside, not listed: the prefill
			{1, -1, -2, def, true}, // inside, not listed
			{3, 0, 0, def, false},  // beyond h max
			{0, -2, 0, def, false}, // below k min
			{0, 0, 2, def, false},  // beyond l max
			{-1, 0, 0, def, false}, // below h min
		}
		for _, c := range cases {
			if _, ok := g.Index(c.h, c.k, c.l); ok != c.in {
				t.Errorf("Index(%d,%d,%d) in range = %v, want %v", c.h, c.k, c.l, ok, c.in)
			}
			// the lookup default is independent of the prefill outside
			if got := g.Lookup(c.h, c.k, c.l, 7); c.in && got != def || !c.in && got != 7 {
				t.Errorf("default %v: Lookup(%d,%d,%d, 7) = %v", def, c.h, c.k, c.l, got)
			}
		}
	}
}

func TestFGridIndexLayout(t *testing.T) {
	g := NewFGrid(sparseRefl, 0)
	// h-major: l varies fastest
	i0, _ := g.Index(0, -1, -2)
	i1, _ := g.Index(0, -1, -1)
	i2, _ := g.Index(0, 0, -2)
	i3, _ := g.Index(1, -1, -2)
	if i0 != 0 || i1 != 1 || i2 != 4 || i3 != 16 {
		t.Errorf("indices %d %d %d %d, want 0 1 4 16", i0, i1, i2, i3)
	}
}

func TestFGridDuplicatesAndEmpty(t *testing.T) {
	g := NewFGrid([]Reflection{{1, 1, 1, 5}, {1, 1, 1, 7}}, 0)
	if got := g.Lookup(1, 1, 1, 0); got != 7 {
		t.Errorf("duplicate: F = %v, want the last (7)", got)
	}
	if g.Count != 2 {
		t.Errorf("Count = %d, want 2 (nanoBragg counts duplicates)", g.Count)
	}
	e := NewFGrid(nil, 3)
	if e.Count != 0 || len(e.F) != 0 {
		t.Errorf("empty grid: Count %d, len(F) %d", e.Count, len(e.F))
	}
	if got := e.Lookup(0, 0, 0, 3); got != 3 {
		t.Errorf("empty grid lookup = %v, want default 3", got)
	}
	var nilGrid *FGrid
	if got := nilGrid.Lookup(0, 0, 0, 4); got != 4 {
		t.Errorf("nil grid lookup = %v, want default 4", got)
	}
	if got := NewFGrid([]Reflection{{0, 0, 0, math.Pi}}, 1).Lookup(0, 0, 0, 1); got != math.Pi {
		t.Errorf("single reflection = %v", got)
	}
}
