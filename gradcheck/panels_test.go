package gradcheck_test

import (
	"testing"

	"gobragg/expt"
	"gobragg/gradcheck"
	"gobragg/graph"
)

// cspadFile is the 64-panel CSPAD-like detector of package expt's test
// data (expt.CSPADLike: 4 quadrants of 8 two-ASIC sensors, each level
// with its own frame).
const cspadFile = "../expt/testdata/cspad64.expt"

// panelNames are the motions checked: every kind of motion, each of a
// panel and of a group, over two panels (panel 0 in the sensor group2
// checked too), the root group0, a quadrant group1 and a sensor group2.
// (Checking all 30 motions of these five nodes passes too, in four times
// the time.)
func panelNames() []string {
	return []string{
		graph.PanelParam(0, "shift_fast"), graph.GroupParam(2, "shift_fast"),
		graph.PanelParam(37, "shift_slow"), graph.GroupParam(1, "shift_slow"),
		graph.PanelParam(37, "dist"), graph.GroupParam(0, "dist"),
		graph.PanelParam(0, "rot_fast"), graph.GroupParam(1, "rot_fast"),
		graph.PanelParam(37, "rot_slow"), graph.GroupParam(0, "rot_slow"),
		graph.PanelParam(0, "rot_normal"), graph.GroupParam(2, "rot_normal"),
		graph.PLambda,
	}
}

// TestMultiPanelGradients: the derivatives with respect to panel and
// group motions of a multi-panel detector (the CSPAD-like test list)
// agree with central differences in both modes, every pixel too. The
// crystal, beam and sampling are the suite's; the detector is the list's.
func TestMultiPanelGradients(t *testing.T) {
	l, err := expt.ReadFile(cspadFile)
	if err != nil {
		t.Fatal(err)
	}
	e, err := l.Single(cspadFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range both {
		t.Run(mode, func(t *testing.T) {
			if testing.Short() {
				t.Skip("multi-panel gradients skipped with -short")
			}
			t.Parallel()
			p := prepare(t, mode, baseArgs, false)
			if err := p.UsePanels(e); err != nil {
				t.Fatal(err)
			}
			if mode == "c-parity" {
				p.FreezeCarryOver()
			}
			rep, err := gradcheck.Check(gradcheck.NewProblem(p), panelNames(), settings)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rep.Results {
				if r.Analytic == 0 {
					t.Errorf("%s: d loss/d %s is 0: the case would not test it", mode, r.Name)
				}
			}
			var sum summary
			reportCase(t, &sum, "multi_panel/"+mode, rep, nil)
			t.Log(sum.rows[0])
		})
	}
}
