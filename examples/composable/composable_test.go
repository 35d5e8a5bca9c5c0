package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"gobragg/graph"
)

// gradTolerance is the largest relative difference between a gradient
// and its central difference: the simulator is smooth in these inputs and
// the steps below keep truncation and rounding errors near 1e-7.
const gradTolerance = 1e-5

// checkGradient compares grad of f at x, component by component, with
// central differences of step h.
func checkGradient(t *testing.T, name string, f func(x, grad []float64) (float64, error), x []float64, idx []int, h float64) {
	t.Helper()
	g := make([]float64, len(x))
	if _, err := f(x, g); err != nil {
		t.Fatal(err)
	}
	for _, i := range idx {
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		lp, err := f(xp, nil)
		if err != nil {
			t.Fatal(err)
		}
		lm, err := f(xm, nil)
		if err != nil {
			t.Fatal(err)
		}
		fd := (lp - lm) / (2 * h)
		if rel := math.Abs(g[i]-fd) / math.Max(math.Abs(fd), 1e-300); !(rel < gradTolerance) {
			t.Errorf("%s: d loss / d x[%d] = %.10g, central difference %.10g (relative difference %.2g)", name, i, g[i], fd, rel)
		}
	}
}

func TestAtomicGradient(t *testing.T) {
	exp, err := experiment()
	if err != nil {
		t.Fatal(err)
	}
	m, err := newAtomicModel(exp)
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	if _, err := m.evaluate(truePositions, nil); err != nil {
		t.Fatal(err)
	}
	if err := set(m.target, m.value(m.image)); err != nil {
		t.Fatal(err)
	}
	x := append([]float64(nil), truePositions...)
	for i := range x {
		x[i] += 0.01 * math.Sin(float64(3*i+2))
	}
	checkGradient(t, "atomic", m.evaluate, x, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, 1e-6)
}

func TestTwoFramesGradient(t *testing.T) {
	m, err := newTwoFrames()
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	x := make([]float64, len(m.freeIdx))
	for j, i := range m.freeIdx {
		x[j] = m.base[i] + 0.002*float64(j+1)
	}
	if _, err := m.evaluate(x, nil); err != nil {
		t.Fatal(err)
	}
	for i := range m.targets {
		if err := set(m.targets[i], m.value(m.images[i])); err != nil {
			t.Fatal(err)
		}
	}
	x[0] += 0.003
	checkGradient(t, "two frames", m.evaluate, x, []int{0, 1, 2}, 1e-7)
}

func TestLossGradient(t *testing.T) {
	exp, err := experiment()
	if err != nil {
		t.Fatal(err)
	}
	m, err := newLossModel(exp)
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	if err := set(m.F, trueF(exp.F)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.run(); err != nil {
		t.Fatal(err)
	}
	if err := m.setTarget(m.value(m.image)); err != nil {
		t.Fatal(err)
	}
	theta := exp.Params.Values()
	// By F (every tenth entry), the image, smoothness and prior all count.
	byF := func(F, g []float64) (float64, error) {
		if err := set(m.F, F); err != nil {
			return 0, err
		}
		l, err := m.run()
		if err == nil && g != nil {
			var gg []float64
			gg, err = grad(m.F)
			copy(g, gg)
		}
		return l, err
	}
	var idx []int
	for i := 0; i < len(exp.F); i += 10 {
		idx = append(idx, i)
	}
	checkGradient(t, "custom loss by F", byF, exp.F, idx, 1e-6)
	// By the geometry, at the starting F.
	byTheta := func(x, g []float64) (float64, error) {
		if err := set(m.theta, x); err != nil {
			return 0, err
		}
		l, err := m.run()
		if err == nil && g != nil {
			var gg []float64
			gg, err = grad(m.theta)
			copy(g, gg)
		}
		return l, err
	}
	if err := set(m.F, exp.F); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{graph.PDistance, graph.PMissetX, graph.PCellA} {
		i := exp.Params.Index(name)
		checkGradient(t, "custom loss by "+name, byTheta, theta, []int{i}, 1e-6*math.Max(math.Abs(theta[i]), 1e-3))
	}
}

func TestRunAll(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, "all"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"== atomic", "== loss", "== twoframes"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The noise-free fits recover the truth: the atomic model's
	// interatomic vectors (fractional) and the misset angles (degrees), to
	// the 5 and 6 decimals printed.
	recovered := 0
	for _, line := range strings.Split(out.String(), "\n") {
		var name string
		var fit, truth, start float64
		switch {
		case strings.HasPrefix(line, "  atom "):
			if _, err := fmt.Sscanf(line, "  atom %s %s %g %g", &name, &name, &fit, &truth); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
		case strings.Contains(line, ": start "):
			if _, err := fmt.Sscanf(strings.TrimSpace(line), "%s start %g, fitted %g, true %g", &name, &start, &fit, &truth); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
		default:
			continue
		}
		recovered++
		if math.Abs(fit-truth) > 2e-5 {
			t.Errorf("%s: fitted %g, true %g", line, fit, truth)
		}
	}
	if recovered != 9 {
		t.Errorf("%d fitted values printed, want 6 interatomic components and 3 angles:\n%s", recovered, out.String())
	}
}
