package gradcheck_test

import (
	"math"
	"strings"
	"testing"

	"gobragg/gradcheck"
	"gobragg/graph"
)

// carryArgs is golden case phi_carryover_tiny (a 4x4 detector, N = 2,
// rotation starting at phi = 0) with a 0.3 degree oscillation in 3 steps.
// In C every pixel but the first keeps, for its phi = 0 step, the lattice of
// the previous pixel's last step (phi = 2 phistep) instead of the unrotated
// one, so in c-parity mode the loss depends on phistep through step 0 too.
var carryArgs = strings.Fields(`-cell 70 70 70 90 90 90 -default_F 1 -N 2 -distance 100
	-detpixels 4 -pixel 0.1 -phi 0 -osc 0.3 -phisteps 3 -nonoise -nopgm -noprogress`)

// TestCarryOverGradient proves the c-parity gradient flows through the
// phi = 0 carry-over node: central differences of the c-parity loss with
// respect to phistep (no freezing needed: changing phistep never makes
// step 0 non-zero) agree with the c-parity gradient, and both are far from
// spec mode's gradient, which rotates step 0 by phi = 0 exactly.
func TestCarryOverGradient(t *testing.T) {
	t.Parallel()
	cp := prepare(t, "c-parity", carryArgs, false)
	rep, err := gradcheck.Check(gradcheck.NewProblem(cp), []string{graph.PPhiStep}, gradcheck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Results[0]
	if !r.Pass {
		t.Errorf("c-parity d loss/d phistep: analytic %.9e, numeric %.9e: relative error %.2e > %.0e", r.Analytic, r.Numeric, r.RelErr, gradcheck.DefaultRelTol)
	}
	_, spec, _, err := prepare(t, "spec", carryArgs, false).Gradient()
	if err != nil {
		t.Fatal(err)
	}
	// The carry-over nearly doubles the derivative here; demand a gap of
	// at least 100 times the tolerance between the modes.
	const gap = 100 * gradcheck.DefaultRelTol
	for _, x := range []struct {
		what string
		v    float64
	}{{"c-parity gradient", r.Analytic}, {"c-parity finite difference", r.Numeric}} {
		if d := math.Abs(x.v-spec[graph.PPhiStep]) / math.Abs(spec[graph.PPhiStep]); d < gap {
			t.Errorf("%s %.9e is within %.1e of spec mode's gradient %.9e: the carry-over does not reach phistep", x.what, x.v, d, spec[graph.PPhiStep])
		}
	}
	t.Logf("d loss/d phistep: c-parity analytic %.9e numeric %.9e (rel %.1e), spec %.9e", r.Analytic, r.Numeric, r.RelErr, spec[graph.PPhiStep])
}

// TestCarryOverPhiJump shows why the suite freezes the carry-over pattern
// before differentiating phi at 0 in c-parity mode: at phi = 0 exactly C
// skips the rotation of step 0 (and carries the previous pixel's lattice
// over), at phi = ±h it rotates it, so the loss jumps at 0 and a central
// difference across it measures spec mode's derivative, not the c-parity
// one. Frozen (sim.Problem.FreezeCarryOver), the pattern of phi = 0 is kept
// for phi = ±h and the difference agrees with the c-parity gradient.
func TestCarryOverPhiJump(t *testing.T) {
	t.Parallel()
	cp := prepare(t, "c-parity", carryArgs, false)
	l0, grad, _, err := cp.Gradient()
	if err != nil {
		t.Fatal(err)
	}
	const eps = 1e-12 // radians
	cp.Exp.Params.Set(graph.PPhi, eps)
	l1, err := cp.Loss()
	if err != nil {
		t.Fatal(err)
	}
	cp.Exp.Params.Set(graph.PPhi, 0)
	if jump, slope := math.Abs(l1-l0), math.Abs(grad[graph.PPhi])*eps; jump < 1e3*slope {
		t.Errorf("c-parity loss at phi = 0 and %g: %.17g, %.17g: jump %.1e is not far above the slope's %.1e", eps, l0, l1, jump, slope)
	}
	unfrozen, err := gradcheck.Check(gradcheck.NewProblem(cp), []string{graph.PPhi}, gradcheck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if unfrozen.Passed() {
		t.Errorf("unfrozen c-parity d loss/d phi at 0 agrees with central differences across the jump:\n%s", unfrozen)
	}
	cp.FreezeCarryOver()
	frozen, err := gradcheck.Check(gradcheck.NewProblem(cp), []string{graph.PPhi}, gradcheck.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if !frozen.Passed() {
		t.Errorf("frozen c-parity d loss/d phi at 0:\n%s", frozen)
	}
}
