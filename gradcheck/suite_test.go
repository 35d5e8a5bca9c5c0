package gradcheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"gobragg/config"
	"gobragg/gradcheck"
	"gobragg/graph"
	"gobragg/internal/golden"
	"gobragg/sim"
)

// baseArgs is the common experiment: a triclinic cell with misset, a phi
// oscillation starting at 0, three mosaic domains, polarization, water
// background, 2x2 oversampling, small detector rotations and two-theta and
// an off-centre beam, on an 8 x 8 mm detector that reaches a few low-order
// reflections: 10x10 pixels of 0.8 mm, a quarter of the work of the 20x20
// pixels of 0.4 mm that fineDetector gives the cases that need them.
var baseArgs = strings.Fields(`-cell 70 80 90 75 85 95 -misset 10 20 30 -default_F 100 -N 5
	-lambda 1 -distance 100 -pixel 0.8 -detpixels 10 -Xbeam 4.3 -Ybeam 3.7
	-phi 0 -osc 0.3 -phisteps 3 -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 7
	-polar 0.9 -water 5 -oversample 2 -detector_rotx 1 -detector_roty 0.5 -twotheta 2
	-nonoise -nopgm -noprogress`)

// fineDetector returns args on the same detector in 20x20 pixels of 0.4
// mm. The cases that use it need the finer sampling: with fewer, larger
// pixels the loss is smaller, and the steps of nearest-neighbour F
// lookups and of C's float32 mosaic spread move their finite differences
// beyond the 1e-4 bar (hkl_nointerpolate misset_y 1.5e-4, custom_close
// mosaic 1e-3).
func fineDetector(args []string) []string {
	out := without(without(args, "-pixel", 1), "-detpixels", 1)
	return append(out, "-pixel", "0.4", "-detpixels", "20")
}

// without returns args with option opt and its n values removed.
func without(args []string, opt string, n int) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if args[i] == opt {
			i += n
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// settings hold every pixel's derivative to the loss's bar too: a gradient
// error that cancels in the sum still fails.
var settings = gradcheck.Settings{PixelRelTol: gradcheck.DefaultRelTol}

// suiteCase is one experiment checked in the listed modes.
type suiteCase struct {
	name   string
	args   []string
	modes  []string // nil: spec and c-parity
	golden bool     // reads input files from the golden folder
	short  bool     // also run with -short
	// fEntries structure factors with the largest |dL/dF| are checked too.
	fEntries int
	// zero lists parameters whose derivative must be exactly 0, analytic
	// and numeric.
	zero []string
}

var both = []string{"spec", "c-parity"}

func suiteCases() []suiteCase {
	custom := strings.Fields(`-fdet_vector -0.033469730 -0.053230332 0.998021197
		-sdet_vector 0.027966946 -0.998239517 -0.052304075 -odet_vector 0.999048361 0.026161002 0.034899497
		-beam_vector 0.999950004 0.009999833 0`)
	noBeam := without(without(baseArgs, "-Xbeam", 1), "-Ybeam", 1)
	return []suiteCase{
		{name: "base", args: baseArgs, short: true},
		{name: "round_xtal", args: append(baseArgs, "-round_xtal", "-fudge", "1.3")},
		{name: "gauss_xtal", args: append(baseArgs, "-gauss_xtal", "-fudge", "2")},
		{name: "gauss_hkl", args: append(baseArgs, "-gauss_hkl", "-fudge", "1.5"), modes: []string{"spec"}},
		// The top-hat spot is a step function of the reciprocal-space
		// distance: every parameter that only moves the lattice relative to
		// the Ewald sphere has derivative 0 (except on the measure-zero set
		// where a spot edge crosses a sample point, which the small steps
		// avoid). Na, Nb, Nc still scale the plateau, and the detector and
		// beam parameters still act through solid angle and polarization.
		{name: "tophat_spots", args: append(baseArgs, "-tophat_spots", "-fudge", "0.5"),
			zero: []string{graph.PCellA, graph.PCellB, graph.PCellC, graph.PCellAlpha, graph.PCellBeta, graph.PCellGamma,
				graph.PMissetX, graph.PMissetY, graph.PMissetZ, graph.PPhi, graph.PPhiStep, graph.PMosaic,
				graph.PLambda, graph.PFudge}},
		{name: "square_fudge_zero", args: baseArgs, modes: []string{"spec"}, short: true, zero: []string{graph.PFudge}},
		// Mosaic seed 8: with seed 7 one spec-mode domain samples within a
		// finite-difference step of a nearest-neighbour F boundary, so the
		// loss's d/d mosaic (a sum that cancels to 1e-3 of its pixels')
		// wanders by 4e-4 between steps while every pixel agrees to 3e-6.
		{name: "hkl_nointerpolate", args: fineDetector(append(without(baseArgs, "-default_F", 1), "-hkl", "inputs/pattern.hkl", "-nointerpolate", "-mosaic_seed", "8")),
			golden: true, fEntries: 3},
		{name: "hkl_interpolate", args: append(without(baseArgs, "-default_F", 1), "-hkl", "inputs/pattern.hkl", "-interpolate"),
			golden: true, fEntries: 4, short: true},
		// Samples beyond h, k or l = 7 leave the table's 4x4x4 neighbourhood:
		// spec mode falls back to the nearest neighbour per sample, C (and
		// c-parity mode) switches interpolation off for the rest of the run
		// at the first such sample. Small steps keep both on one branch.
		{name: "hkl_interpolation_cut", args: strings.Fields(`-cell 50 50 50 90 90 90 -hkl inputs/pattern.hkl -misset 5 3 2
			-N 3 -interpolate -lambda 1 -distance 40 -pixel 0.8 -detpixels 20 -oversample 1 -polar 0.9 -nonoise -nopgm -noprogress`),
			golden: true, fEntries: 3},
		{name: "dispersion", args: append(baseArgs, "-dispersion", "2", "-dispsteps", "3")},
		// The rocking mosaic turns domains 1 and 2 about the spindle (its
		// quartiles of 0.4 degrees), after their isotropic turns.
		{name: "mosaic_spindle", args: append(baseArgs, "-mosaic_spindle", "0.4"), modes: []string{"spec"}},
		// Gaussian domains: each turn is the spread times its deviates' length.
		{name: "mosaic_normal", args: append(baseArgs, "-mosaic_normal"), modes: []string{"spec"}},
		{name: "divergence", args: append(baseArgs, "-hdivrange", "0.5", "-vdivrange", "0.5", "-hdivsteps", "2", "-vdivsteps", "2")},
		{name: "mat", args: append(without(without(baseArgs, "-cell", 6), "-lambda", 1), "-mat", "inputs/A.mat", "-lambda", "0.9768"),
			golden: true},
		{name: "detector_abs", args: append(baseArgs, "-detector_abs", "300", "-detector_thick", "200", "-detector_thicksteps", "2")},
		{name: "xds_orgx", args: append(without(noBeam, "-twotheta", 1), "-xds", "-ORGX", "9.5", "-ORGY", "11.25")},
		{name: "custom_beam_pivot", args: append(append([]string{}, noBeam...), append(custom, "-Xbeam", "4.1", "-Ybeam", "3.9")...)},
		{name: "custom_close", args: fineDetector(append(append(without(without(noBeam, "-distance", 1), "-twotheta", 1), custom...),
			"-twotheta_axis", "0", "0", "-1", "-twotheta", "2", "-close_distance", "95", "-Xclose", "4.2", "-Yclose", "3.6"))},
		{name: "curved_detector", args: append(baseArgs, "-curved_det")},
		// A three-circle goniometer from an experiment list: phi (at 30
		// degrees) inside the scanning omega, chi (20 degrees) outside it,
		// so both the fixed and the setting rotation turn the crystal; a
		// tilted panel. c-parity cannot place a list's panel.
		{name: "multi_axis_expt", modes: []string{"spec"}, args: strings.Fields(`-expt_in testdata/kappa.expt -default_F 100 -N 5
			-phisteps 3 -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 7 -water 5 -oversample 2 -nonoise -nopgm -noprogress`)},
		// -dmin skips scattering beyond 12 A resolution: a step in the
		// image at the cut-off circle that small steps do not cross.
		{name: "dmin", args: append(baseArgs, "-dmin", "12")},
		{name: "oversample_flags", args: append(baseArgs, "-detector_abs", "300", "-detector_thick", "200", "-detector_thicksteps", "2",
			"-oversample_thick", "-oversample_polar", "-oversample_omega"), short: true},
	}
}

// prepare parses args in the given mode and prepares the problem.
func prepare(t testing.TB, mode string, args []string, needGolden bool) *sim.Problem {
	t.Helper()
	dir := ""
	if needGolden {
		d, err := golden.Dir()
		if err != nil {
			t.Skipf("%v: skipping (the case reads input files from the golden folder)", err)
		}
		dir = d
		for i := 1; i < len(args); i++ {
			if args[i-1] == "-hkl" || args[i-1] == "-mat" {
				if _, err := os.Stat(filepath.Join(dir, args[i])); err != nil {
					t.Skipf("input %s not found in %s: skipping", args[i], dir)
				}
			}
		}
	}
	s, err := config.Parse(append([]string{"-mode", mode}, args...))
	if err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	p, err := sim.Prepare(s, sim.Dirs{InputDir: dir, OutputDir: t.TempDir()})
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	return p
}

// summary collects the worst relative error of every case for one table.
type summary struct {
	mu   sync.Mutex
	rows []string
}

func (s *summary) add(row string) {
	s.mu.Lock()
	s.rows = append(s.rows, row)
	s.mu.Unlock()
}

func TestParameters(t *testing.T) {
	var sum summary
	t.Cleanup(func() {
		sort.Strings(sum.rows)
		t.Logf("worst relative error per case (non-zero derivatives):\n%s", strings.Join(sum.rows, "\n"))
	})
	for _, c := range suiteCases() {
		modes := c.modes
		if modes == nil {
			modes = both
		}
		for _, mode := range modes {
			t.Run(c.name+"/"+mode, func(t *testing.T) {
				if testing.Short() && !c.short {
					t.Skip("variant skipped with -short")
				}
				t.Parallel()
				p := prepare(t, mode, c.args, c.golden)
				if mode == "c-parity" {
					// C does not rotate a phi step whose angle is exactly 0
					// and reuses the lattice of the previous pixel's last
					// step instead, so at phi = 0 the C loss jumps between
					// phi = -h, 0 and +h. Pinning which steps count as zero
					// differentiates the branch the point itself takes.
					p.FreezeCarryOver()
				}
				rep, err := gradcheck.Check(gradcheck.NewProblem(p), nil, settings)
				if err != nil {
					t.Fatal(err)
				}
				reportCase(t, &sum, c.name+"/"+mode, rep, c.zero)
				if c.fEntries > 0 {
					idx, err := gradcheck.LargestF(p, c.fEntries)
					if err != nil {
						t.Fatal(err)
					}
					if len(idx) < c.fEntries {
						t.Fatalf("only %d structure factors have a non-zero derivative, want %d", len(idx), c.fEntries)
					}
					sf, err := gradcheck.NewStructureFactors(p, idx)
					if err != nil {
						t.Fatal(err)
					}
					frep, err := gradcheck.Check(sf, nil, settings)
					if err != nil {
						t.Fatal(err)
					}
					reportCase(t, &sum, c.name+"/"+mode+"/F", frep, nil)
				}
			})
		}
	}
}

// reportCase fails the test for every parameter that did not pass and for
// every parameter of zero that has a non-zero derivative.
func reportCase(t *testing.T, sum *summary, label string, rep *gradcheck.Report, zero []string) {
	t.Helper()
	for _, r := range rep.Failed() {
		t.Errorf("%s: d loss/d %s: analytic %.9e, numeric %.9e (step %.2e): relative error %.2e; worst pixel %s (tolerance %.0e for both)",
			label, r.Name, r.Analytic, r.Numeric, r.Step, r.RelErr, pixelText(r.Worst), gradcheck.DefaultRelTol)
	}
	for _, name := range zero {
		r, ok := rep.Result(name)
		if !ok {
			t.Errorf("%s: %s is not a parameter", label, name)
			continue
		}
		if r.Analytic != 0 || r.Numeric != 0 {
			t.Errorf("%s: d loss/d %s should be exactly 0: analytic %g, numeric %g", label, name, r.Analytic, r.Numeric)
		}
	}
	worstPix, pixName := 0.0, ""
	for _, r := range rep.Results {
		if r.Worst != nil && r.Worst.Err() > worstPix {
			worstPix, pixName = r.Worst.Err(), r.Name
		}
	}
	e, name := rep.MaxRelErr()
	sum.add(fmt.Sprintf("%-32s %3d params  max rel err %.1e (%s)  worst pixel %.1e (%s)", label, len(rep.Results), e, name, worstPix, pixName))
	if t.Failed() || testing.Verbose() {
		t.Logf("%s\n%s", label, rep)
	}
}

func pixelText(p *gradcheck.Pixel) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("(slow %d, fast %d): analytic %.6e numeric %.6e rel %.1e", p.Slow, p.Fast, p.Analytic, p.Numeric, p.Err())
}

// TestMosaicQuantisation documents MosaicSteps: nanoBragg rounds the
// mosaic spread to float32, so central differences with steps of 1e-6 of
// the spread see the rounding staircase (percent-level errors), while the
// default steps (no smaller than 1e-4) agree with the gradient.
func TestMosaicQuantisation(t *testing.T) {
	t.Parallel()
	p := prepare(t, "spec", baseArgs, false)
	small, err := gradcheck.Check(gradcheck.NewProblem(p), []string{graph.PMosaic},
		gradcheck.Settings{ParamSteps: map[string][]float64{graph.PMosaic: {1e-6, 1e-7}}, Pixels: -1})
	if err != nil {
		t.Fatal(err)
	}
	def, err := gradcheck.Check(gradcheck.NewProblem(p), []string{graph.PMosaic}, gradcheck.Settings{Pixels: -1})
	if err != nil {
		t.Fatal(err)
	}
	if small.Passed() || !def.Passed() {
		t.Errorf("mosaic: steps 1e-6 and 1e-7 should fail (relative error %.1e), MosaicSteps pass (%.1e)", small.Results[0].RelErr, def.Results[0].RelErr)
	}
}
