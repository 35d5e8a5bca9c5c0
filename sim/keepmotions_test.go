package sim

import (
	"errors"
	"testing"

	"gobragg/expt"
	"gobragg/graph"
)

// TestKeepMotions: of the CSPAD-like detector's motions only those named
// stay parameters, the others' values unchanged; a name that is not a
// motion of the detector is refused; a panel moved behind the sample
// fails the render with graph.ErrPanelBehind, which a fit backs off from.
func TestKeepMotions(t *testing.T) {
	l, err := expt.ReadFile("../expt/testdata/cspad64.expt")
	if err != nil {
		t.Fatal(err)
	}
	e, err := l.Single("cspad64.expt")
	if err != nil {
		t.Fatal(err)
	}
	p := prepareArgs(t, "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -lambda 1 -misset 10 20 30 -oversample 1 -detpixels 8")
	if err := p.UsePanels(e); err != nil {
		t.Fatal(err)
	}
	before := p.Exp.Params.Clone()
	keep := []string{"panel5_dist", "group3_rot_normal"}
	if err := p.KeepMotions(keep...); err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, n := range before.Names() {
		v, _ := before.Get(n)
		got, ok := p.Exp.Params.Get(n)
		want := !graph.IsPanelMotion(n) || n == keep[0] || n == keep[1]
		if ok != want || (ok && got != v) {
			t.Errorf("%s: kept %v (%g), want kept %v (%g)", n, ok, got, want, v)
		}
		if ok && graph.IsPanelMotion(n) {
			kept[n] = true
		}
	}
	if len(kept) != len(keep) || p.Exp.Params.Len() != before.Len()-len(e.Panels)*6-countGroups(e.Hierarchy)*6+len(keep) {
		t.Fatalf("kept motions %v of %d parameters, want %v", kept, p.Exp.Params.Len(), keep)
	}
	if err := p.KeepMotions("panel64_dist"); err == nil {
		t.Error("panel64_dist of a 64-panel detector: no error")
	}
	p.Exp.Params.Set("panel5_dist", -1) // metres: far behind the sample
	m, err := graph.Build(p.Exp, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Run(); !errors.Is(err, graph.ErrPanelBehind) {
		t.Fatalf("panel moved behind the sample: got %v, want ErrPanelBehind", err)
	}
}

// countGroups is the number of groups in a hierarchy.
func countGroups(g *expt.Group) int {
	n := 1
	for _, c := range g.Groups {
		n += countGroups(c)
	}
	return n
}
