package symop

import (
	"slices"
	"strings"
	"testing"
)

// FuzzReadGroup: any text gives a group or an error, never a panic; a group
// read is closed under composition, and ASU maps a reflection to one of its
// equivalents, the same one from each of them.
func FuzzReadGroup(f *testing.F) {
	for _, seed := range []string{
		"x,y,z\n",
		"x,y,z\n-x+1/2,-y,z+1/2\nx+1/2,-y+1/2,-z\n-x,y+1/2,-z+1/2\n",
		"x,y,z * -x,-y,z # P2\n",
		"x,y,z\n-x,y,z+1/3\n",
		"-y,x,z+1/4\n",
		"x,y,z\nx,y,z\n",
		strings.Repeat("x,y,z\n", 300),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		g, err := ReadGroup(strings.NewReader(text), "fuzz")
		if err != nil {
			return
		}
		for _, a := range g.Ops {
			for _, b := range g.Ops {
				if !slices.Contains(g.Ops, a.Mul(b)) {
					t.Fatalf("%s times %s is %s, not among the %d operators read", a, b, a.Mul(b), len(g.Ops))
				}
			}
		}
		h := [3]int{1, -2, 3}
		rep := g.ASU(h, false)
		for _, e := range g.Equivalents(h, false) {
			if got := g.ASU(e, false); got != rep {
				t.Fatalf("ASU(%v) = %v but ASU(%v) = %v, equivalents", h, rep, e, got)
			}
		}
	})
}
