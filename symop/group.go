package symop

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Group is a space group given by its operators, the identity first.
type Group struct {
	Ops []Op
	// rots are the distinct rotations (the point group), the identity
	// first.
	rots [][3][3]int
}

// maxOps bounds a group's operators: 192 is the order of F m -3 m with its
// centring, the largest space group.
const maxOps = 192

// NewGroup checks that ops form a group and returns it: the identity is
// among them, none is repeated, and the product of any two is one of them
// (translations modulo whole cells). The error names the first product
// that is missing.
func NewGroup(ops []Op) (*Group, error) {
	if len(ops) == 0 {
		return nil, fmt.Errorf("no symmetry operators")
	}
	if len(ops) > maxOps {
		return nil, fmt.Errorf("%d symmetry operators: a space group has at most %d", len(ops), maxOps)
	}
	seen := map[Op]int{}
	for i, o := range ops {
		if j, dup := seen[o]; dup {
			return nil, fmt.Errorf("symmetry operator %d (%s) repeats operator %d", i+1, o, j+1)
		}
		seen[o] = i
	}
	if _, ok := seen[Identity]; !ok {
		return nil, fmt.Errorf("the symmetry operators are not a group: the identity x,y,z is missing")
	}
	for _, a := range ops {
		for _, b := range ops {
			if p := a.Mul(b); !has(seen, p) {
				return nil, fmt.Errorf("the symmetry operators are not a group: %s times %s is %s, which is not among them", a, b, p)
			}
		}
	}
	g := &Group{Ops: []Op{Identity}}
	for _, o := range ops {
		if o != Identity {
			g.Ops = append(g.Ops, o)
		}
	}
	rots := map[[3][3]int]bool{}
	for _, o := range g.Ops {
		if !rots[o.Rot] {
			rots[o.Rot] = true
			g.rots = append(g.rots, o.Rot)
		}
	}
	return g, nil
}

func has(m map[Op]int, o Op) bool { _, ok := m[o]; return ok }

// ReadGroup reads operators, one triplet a line or several separated by
// '*' as in CCP4's symop.lib; blank lines and lines starting with '#' are
// skipped. The error names the input and the line.
func ReadGroup(r io.Reader, name string) (*Group, error) {
	var ops []Op
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, t := range strings.Split(line, "*") {
			o, err := Parse(strings.TrimSpace(t))
			if err != nil {
				return nil, fmt.Errorf("%s line %d: %v", name, n, err)
			}
			ops = append(ops, o)
			if len(ops) > maxOps {
				return nil, fmt.Errorf("%s: more than %d symmetry operators", name, maxOps)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	g, err := NewGroup(ops)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return g, nil
}

// Rotations returns the point group's distinct rotations, the identity
// first.
func (g *Group) Rotations() [][3][3]int { return g.rots }

// Centrosymmetric reports whether the point group holds the inversion.
func (g *Group) Centrosymmetric() bool {
	for _, r := range g.rots {
		if r == [3][3]int{{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}} {
			return true
		}
	}
	return false
}

// Equivalents returns the distinct Miller indices equivalent to h: its
// images under the point group and, unless anomalous, their Friedel mates.
func (g *Group) Equivalents(h [3]int, anomalous bool) [][3]int {
	seen := map[[3]int]bool{}
	var out [][3]int
	add := func(k [3]int) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, r := range g.rots {
		k := Op{Rot: r}.ApplyHKL(h)
		add(k)
		if !anomalous {
			add([3]int{-k[0], -k[1], -k[2]})
		}
	}
	return out
}

// ASU returns the representative of h's equivalents (see Equivalents): the
// one with the largest l, then h, then k. Equivalent indices, and unless
// anomalous Friedel mates, give the same representative.
func (g *Group) ASU(h [3]int, anomalous bool) [3]int {
	best := h
	better := func(k [3]int) {
		if k[2] > best[2] || (k[2] == best[2] && (k[0] > best[0] || (k[0] == best[0] && k[1] > best[1]))) {
			best = k
		}
	}
	for _, r := range g.rots {
		k := Op{Rot: r}.ApplyHKL(h)
		better(k)
		if !anomalous {
			better([3]int{-k[0], -k[1], -k[2]})
		}
	}
	return best
}
