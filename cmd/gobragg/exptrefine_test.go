package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/config"
)

// exptTilted is a small tilted detector whose DIALS experiment list the
// tests below import: rotations and two-theta make the beam pivot (along
// the beam) differ from a move along the panel normal.
const exptTilted = "-cell 70 80 90 90 90 90 -default_F 100 -N 5 -lambda 1 -distance 100 -pixel 0.1 -detpixels 64 " +
	"-oversample 1 -misset 10 20 30 -fluence 1e29 -detector_rotx 2 -detector_roty -1.5 -twotheta 4 -Xbeam 3.25 -Ybeam 3.1"

// exptOwn are the options an experiment list does not hold.
var exptOwn = []string{"-default_F", "100", "-N", "5", "-oversample", "1", "-fluence", "1e29"}

// writeTiltedExpt simulates exptTilted into dir with -expt truth.expt and a
// noise frame noise.img, and returns the list's path and the distance,
// Xbeam and Ybeam (mm) -expt_in reads from it.
func writeTiltedExpt(t *testing.T, dir string) (path string, distanceMM, xbeamMM, ybeamMM float64) {
	t.Helper()
	mustRun(t, dir, append(strings.Fields(exptTilted),
		"-expt", "truth.expt", "-noisefile", "noise.img", "-seed", "11", "-nopgm", "-noprogress")...)
	path = filepath.Join(dir, "truth.expt")
	s, err := config.Parse([]string{"-expt_in", path})
	if err != nil {
		t.Fatal(err)
	}
	if s.Pix0Anchor == nil {
		t.Fatal("-expt_in did not express the detector by distance and beam centre")
	}
	return path, s.Distance * 1000, s.Xbeam * 1000, s.Ybeam * 1000
}

// TestGradientExptInMatchesFiniteDifferences: with -expt_in, distance,
// the beam centre and rotations are parameters that move the panel, and their
// gradients agree with central differences of the loss taken through
// the command line (-distance etc. after -expt_in override the list).
func TestGradientExptInMatchesFiniteDifferences(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	path, d0, x0, y0 := writeTiltedExpt(t, dir)
	base := append([]string{"-expt_in", path}, exptOwn...)
	// Tolerance as in TestGradientMatchesFiniteDifferences. The beam-centre
	// differences are truncation-limited (h = 1e-3 and 1e-4 mm give 2.5e-3
	// and 2.5e-5 relative for Ybeam, falling as h^2), so their step is
	// 3e-5 mm, which keeps them near 2e-6.
	const tol = 1e-4
	for _, c := range []struct {
		name, opt string
		x0, h     float64
	}{{"distance", "-distance", d0, 1e-3}, {"Xbeam", "-Xbeam", x0, 3e-5}, {"Ybeam", "-Ybeam", y0, 3e-5},
		{"detector_rotx", "-detector_rotx", 0, 1e-3}} { // turns the panel about the beam spot
		t.Run(c.name, func(t *testing.T) {
			at := func(x float64) []string { return append(append([]string{"-wrt", c.name}, base...), c.opt, gradNum(x)) }
			g := gradJSON(t, append([]string{"-wrt", c.name}, base...)...)
			// The list's own value renders as the list does.
			if l := gradJSON(t, at(c.x0)...).Loss; math.Abs(l-g.Loss) > 1e-12*math.Abs(g.Loss) {
				t.Errorf("loss at %s %g given = %.17g, from the list %.17g", c.opt, c.x0, l, g.Loss)
			}
			d := g.Gradient[c.name]
			fd := (gradJSON(t, at(c.x0+c.h)...).Loss - gradJSON(t, at(c.x0-c.h)...).Loss) / (2 * c.h)
			if fd == 0 || d == 0 {
				t.Fatalf("dL/d%s = %g, finite difference %g: the parameter does not move the detector", c.name, d, fd)
			}
			rel := math.Abs(d-fd) / math.Max(math.Abs(d), math.Abs(fd))
			t.Logf("dL/d%s = %.10g per %s at %g, central difference %.10g, relative %.2g", c.name, d, g.Units[c.name], c.x0, fd, rel)
			if rel > tol {
				t.Errorf("dL/d%s = %.10g, central difference (h=%g) %.10g: relative %.2g > %g", c.name, d, c.h, fd, rel, tol)
			}
		})
	}
}

// TestRefineFromExptIn: start from an imported experiment list with the
// distance off by 1.5 % and the beam centre by half a pixel each way,
// refine them against the frame the list describes, and recover the
// list's values within 3 standard errors. (On a frame this small the
// basin is about a pixel wide: from 1.5 pixels off, refine stops in a
// side minimum, with the list and with the MOSFLM options it was written
// from alike.)
func TestRefineFromExptIn(t *testing.T) {
	dir := t.TempDir()
	path, d0, x0, y0 := writeTiltedExpt(t, dir)
	out := filepath.Join(dir, "r.json")
	args := append([]string{"refine", "-data", filepath.Join(dir, "noise.img"), "-refine", "distance,Xbeam,Ybeam,scale",
		"-out", out, "-expt_in", path}, exptOwn...)
	args = append(args, "-distance", gradNum(d0+1.5), "-Xbeam", gradNum(x0-0.05), "-Ybeam", gradNum(y0+0.05))
	mustRun(t, dir, args...)
	r := readRefineJSON(t, out)
	for n, want := range map[string]float64{"distance": d0, "Xbeam": x0, "Ybeam": y0, "scale": 1} {
		p := r.Parameters[n]
		t.Logf("%s: start %g, refined %g +- %g, truth %g, (refined - truth)/SE %.2f", n, p.Start, p.Value, p.Sigma, want, (p.Value-want)/p.Sigma)
		if !(p.Sigma > 0 && math.Abs(p.Value-want) < 3*p.Sigma) {
			t.Errorf("%s = %g +- %g, truth %g", n, p.Value, p.Sigma, want)
		}
	}
}
