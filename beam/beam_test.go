package beam

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gobragg/dual"
	"gobragg/imageio"
	"gobragg/internal/golden"
)

// MOSFLM convention vectors (nanoBragg sets them; vert = unit(beam x polar)).
var (
	mosflmBeam  = [3]float64{1, 0, 0}
	mosflmPolar = [3]float64{0, 0, 1}
	mosflmVert  = [3]float64{0, -1, 0}
)

const sourceDistanceM = 10.0 // nanoBragg's fixed source distance

var createdRe = regexp.MustCompile(`^  created a total of (\d+) sources:$`)
var preludeRe = regexp.MustCompile(`^(divergence deviation: |lambda\d+ = )`)

// goldenSourceLines returns C's source set-up lines from a case's c.log:
// the divergence and wavelength lines, the "created" line and one line
// per source.
func goldenSourceLines(t *testing.T, dir, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name, "c.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var all []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		all = append(all, sc.Text())
	}
	for i, l := range all {
		m := createdRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		start := i
		for start > 0 && preludeRe.MatchString(all[start-1]) {
			start--
		}
		if i+1+n > len(all) {
			t.Fatalf("%s/c.log ends inside the source list", name)
		}
		return all[start : i+1+n]
	}
	t.Fatalf("%s/c.log has no source list", name)
	return nil
}

// grid builds the Grid the C program derives from the given options
// (ranges in radians, dispersion as a fraction; -1 / 0 = not given).
func grid(hRange, hStep float64, hSteps int, vRange, vStep float64, vSteps int, disp, dispStep float64, dispSteps int, round bool) Grid {
	g := Grid{Lambda0M: dual.C(1e-10), RoundDiv: round}
	g.HDivRange, g.HDivStep, g.HDivSteps = AutoSteps(hRange, hStep, hSteps)
	g.VDivRange, g.VDivStep, g.VDivSteps = AutoSteps(vRange, vStep, vSteps)
	g.Dispersion, g.DispStep, g.DispSteps = AutoSteps(disp, dispStep, dispSteps)
	return g
}

// TestGridLogGolden compares Log(FromGrid(...)) with C's printed lines.
// The printed positions have 6 digits, so this pins C's rotation order and
// trimming; the exact doubles are checked in TestRotateAxisTwin.
func TestGridLogGolden(t *testing.T) {
	dir := golden.Require(t).Dir
	cases := []struct {
		name string
		g    Grid
	}{
		{"mosflm_default", grid(-1, -1, 0, -1, -1, 0, -1, -1, 0, true)},
		// -hdivrange 1.0 -vdivrange 1.0 -hdivsteps 3 -vdivsteps 3 -round_div
		{"divergence_round", grid(0.001, -1, 3, 0.001, -1, 3, -1, -1, 0, true)},
		// the same with -square_div
		{"divergence_square", grid(0.001, -1, 3, 0.001, -1, 3, -1, -1, 0, false)},
		// -dispersion 4 -dispsteps 5
		{"dispersion", grid(-1, -1, 0, -1, -1, 0, 0.04, -1, 5, true)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := goldenSourceLines(t, dir, c.name)
			src := FromGrid(c.g, mosflmBeam, mosflmPolar, mosflmVert, sourceDistanceM)
			compareLines(t, Log(&c.g, src), want)
		})
	}
}

// TestSourceFileGolden reads inputs/sources.txt and compares the printed
// source list with the sourcefile case's c.log.
func TestSourceFileGolden(t *testing.T) {
	dir := golden.Require(t).Dir
	path := filepath.Join(dir, "inputs", "sources.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fs, err := ReadSourceFile(f, path)
	if err != nil {
		t.Fatal(err)
	}
	src := FromFile(fs, mosflmBeam, dual.C(1e-10), sourceDistanceM)
	compareLines(t, Log(nil, src), goldenSourceLines(t, dir, "sourcefile"))
	// Line 4 has no wavelength column: it falls back to lambda0.
	if !math.IsNaN(fs[3].LambdaM) || src[3].LambdaM.V != 1e-10 {
		t.Errorf("line 4 wavelength: file %v, source %v; want NaN and lambda0", fs[3].LambdaM, src[3].LambdaM.V)
	}
}

func compareLines(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d lines, C printed %d\n got:\n%s\nwant:\n%s", len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("line %d: got %q, C printed %q", i+1, got[i], want[i])
		}
	}
}

// TestFluenceGolden: flux_exposure_beamsize runs -flux 2e19 -exposure 2
// -beamsize 0.02 (mm); C prints "incident fluence: 1e+29 photons/m^2".
func TestFluenceGolden(t *testing.T) {
	dir := golden.Require(t).Dir
	log, err := os.ReadFile(filepath.Join(dir, "flux_exposure_beamsize", "c.log"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`incident fluence: (\S+) photons/m\^2`).FindSubmatch(log)
	if m == nil {
		t.Fatal("no incident fluence line in c.log")
	}
	const defaultFluence = 125932015286227086360700780544.0 // nanoBragg's default
	got := Fluence(defaultFluence, 2e19, 2, 0.02/1000)
	if imageio.FormatG(got) != string(m[1]) {
		t.Errorf("Fluence = %s, C printed %s", imageio.FormatG(got), m[1])
	}
	if want := 2e19 * 2 / 2e-5 / 2e-5; got != want {
		t.Errorf("Fluence = %v, want flux*exposure/beamsize/beamsize = %v", got, want)
	}
	for _, c := range []struct{ flux, exposure, beamsize float64 }{
		{0, 2, 2e-5},  // no flux
		{1e12, 0, 1},  // no exposure
		{1e12, 1, -1}, // beam size not given
	} {
		if got := Fluence(defaultFluence, c.flux, c.exposure, c.beamsize); got != defaultFluence {
			t.Errorf("Fluence(flux %v, exposure %v, beamsize %v) = %v, want the given fluence", c.flux, c.exposure, c.beamsize, got)
		}
	}
}
