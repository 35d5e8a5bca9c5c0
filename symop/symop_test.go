package symop_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"gobragg/symop"
)

func TestParse(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"x,y,z", "X,Y,Z"},
		{"-Y,X,Z+1/4", "-Y,X,Z+1/4"},
		{" x - y , x , z + 1/6 ", "X-Y,X,Z+1/6"},
		{"1/2+X,1/2-Y,-Z", "X+1/2,-Y+1/2,-Z"},
		{"-x+y+2/3,-x+1/3,z+1/3", "-X+Y+2/3,-X+1/3,Z+1/3"},
		{"x,y,z+0.5", "X,Y,Z+1/2"},
		{"x,y,z-1/4", "X,Y,Z+3/4"},
		{"x,y,z+1", "X,Y,Z"},
	} {
		op, err := symop.Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := op.String(); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.want)
		}
		again, err := symop.Parse(op.String())
		if err != nil || again != op {
			t.Errorf("%q does not read back: %v %v", op.String(), again, err)
		}
	}
	for _, bad := range []string{"", "x,y", "x,y,z,x", "x,y,w", "x,x,z", "x,y,z+1/5", "x,y,z+", "2x,y,z", "x,y,a/b"} {
		if _, err := symop.Parse(bad); err == nil {
			t.Errorf("Parse(%q) gave no error", bad)
		}
	}
}

// TestGroups reads gemmi's operator lists: each is a group, listed in any
// order, one a line or several to a line separated by '*' (symop.lib).
func TestGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	for _, sg := range spaceGroups {
		ops := strings.Split(sg.ops, ";")
		rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		for _, text := range []string{strings.Join(ops, "\n"), "# " + sg.name + "\n" + strings.Join(ops, " * ")} {
			g, err := symop.ReadGroup(strings.NewReader(text), sg.name)
			if err != nil {
				t.Errorf("%s: %v", sg.name, err)
				continue
			}
			if len(g.Ops) != len(ops) || g.Ops[0] != symop.Identity {
				t.Errorf("%s: %d operators, the first %s", sg.name, len(g.Ops), g.Ops[0])
			}
		}
	}
}

// TestNotAGroup: a list that is not closed, lacks the identity or repeats
// an operator is refused with one line naming the input and the problem.
func TestNotAGroup(t *testing.T) {
	p41212 := strings.Split(spaceGroups[5].ops, ";")
	for _, c := range []struct {
		name, text, want string
	}{
		{"one operator left out", strings.Join(p41212[:7], "\n"), "symops.txt: the symmetry operators are not a group: "},
		{"no identity", "-x,-y,z\n", "the identity x,y,z is missing"},
		{"repeated", "x,y,z\n-x,-y,-z\n-X,-Y,-Z\n", "symmetry operator 3 (-X,-Y,-Z) repeats operator 2"},
		{"wrong translation", "x,y,z\n-x,-y,z+1/3\n", "not a group"},
		{"bad line", "x,y,z\n\n-x,-y,q\n", "symops.txt line 3: operator \"-x,-y,q\""},
		{"empty", "# nothing\n", "no symmetry operators"},
	} {
		_, err := symop.ReadGroup(strings.NewReader(c.text), "symops.txt")
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
		}
	}
}

// ccp4ASU are CCP4's reciprocal asymmetric units of the Laue classes where
// ASU picks the same representative.
var ccp4ASU = map[string]func(h, k, l int) bool{
	"-1":    func(h, k, l int) bool { return l > 0 || (l == 0 && (h > 0 || (h == 0 && k >= 0))) },
	"2/m":   func(h, k, l int) bool { return k >= 0 && (l > 0 || (l == 0 && h >= 0)) },
	"mmm":   func(h, k, l int) bool { return h >= 0 && k >= 0 && l >= 0 },
	"4/mmm": func(h, k, l int) bool { return h >= k && k >= 0 && l >= 0 },
}

// TestASU draws random Miller indices: every equivalent (and, unless
// anomalous, every Friedel mate) maps to one representative, which is
// itself an equivalent, and lies in CCP4's asymmetric unit where ASU's
// rule is CCP4's.
func TestASU(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2))
	for _, sg := range spaceGroups {
		g, err := symop.ReadGroup(strings.NewReader(opLines(sg.ops)), sg.name)
		if err != nil {
			t.Fatal(err)
		}
		for range 300 {
			h := [3]int{rng.IntN(41) - 20, rng.IntN(41) - 20, rng.IntN(41) - 20}
			for _, anom := range []bool{false, true} {
				rep := g.ASU(h, anom)
				eq := g.Equivalents(h, anom)
				found := false
				for _, k := range eq {
					found = found || k == rep
					if r := g.ASU(k, anom); r != rep {
						t.Fatalf("%s anomalous %v: %v maps to %v, its equivalent %v to %v", sg.name, anom, h, rep, k, r)
					}
				}
				if !found {
					t.Errorf("%s: %v's representative %v is not among its equivalents %v", sg.name, h, rep, eq)
				}
				friedel := g.ASU([3]int{-h[0], -h[1], -h[2]}, anom)
				if tied := friedel == rep; !anom && !tied {
					t.Errorf("%s: Friedel mates of %v not tied: %v, %v", sg.name, h, rep, friedel)
				}
				if in, ok := ccp4ASU[sg.laue]; ok && !anom && !in(rep[0], rep[1], rep[2]) {
					t.Errorf("%s (%s): %v maps to %v, outside CCP4's asymmetric unit", sg.name, sg.laue, h, rep)
				}
			}
		}
		// Anomalous: an acentric reflection of a group without the
		// inversion keeps its Friedel mate apart.
		if !g.Centrosymmetric() {
			h := [3]int{3, 5, 7} // acentric in each of these groups
			if g.ASU(h, true) == g.ASU([3]int{-3, -5, -7}, true) {
				t.Errorf("%s: anomalous Friedel mates of %v tied", sg.name, h)
			}
		}
	}
}
