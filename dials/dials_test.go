package dials

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gobragg/dataset"
)

// python is the interpreter that has dxtbx (Debian's DIALS installs it there).
const python = "/usr/bin/python3"

// needDIALS skips unless make test-dials asked for these tests and DIALS is installed.
func needDIALS(t *testing.T) {
	t.Helper()
	if os.Getenv("GOBRAGG_DIALS") != "1" {
		t.Skip("DIALS tests are slow: run them with `make test-dials`")
	}
	if _, err := exec.LookPath("dials.import"); err != nil {
		t.Skip("dials.import is not on PATH: install DIALS with scripts/install-dials.sh (Debian: apt-get install dials)")
	}
}

// run runs a command in dir, failing the test with its output on error.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	start := time.Now()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %s:\n%s", name, strings.Join(args, " "), out)
	t.Logf("%s: %.1f s", name, time.Since(start).Seconds())
	return string(out)
}

// lyso is the test crystal on a smaller detector: 512x512 pixels of
// 0.2 mm at 150 mm (2.0 Å at the edges), 0.5 degree frames, an off-centre
// beam. Two properties of nanoBragg's sampling turn the crystal DIALS sees
// away from the nominal one, so they are kept small here: the spindle is
// sampled at the start of each of the -phisteps steps (a frame's mean
// rotation comes phistep/2 early: 0.025 degree with 10 steps), and a finite
// set of mosaic domains has a mean orientation off the nominal one (about
// spread/sqrt(domains)), so the crystal has no mosaic spread.
const lyso = "-cell 79.1 79.1 38.4 90 90 90 -misset 10 20 30 -N 15 -default_F 10 -lambda 1 " +
	"-detpixels 512 -pixel 0.2 -distance 150 -Xbeam 45 -Ybeam 55 -oversample 1 " +
	"-osc 0.5 -phisteps 10 -noprogress"

// sweep renders 20 frames into dir and writes truth.expt.
func sweep(t *testing.T, dir, template, extra string) {
	t.Helper()
	start := time.Now()
	args := append(strings.Fields(lyso+" "+extra), "-frames", "20", "-seed", "1",
		"-template", filepath.Join(dir, template), "-expt", filepath.Join(dir, "truth.expt"))
	var out, errOut bytes.Buffer
	require.Equal(t, 0, dataset.SweepMain(args, &out, &errOut), errOut.String())
	t.Logf("gobragg sweep (20 frames): %.1f s", time.Since(start).Seconds())
}

// frames lists the files matching pattern in dir, as a shell glob would.
func frames(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	require.NoError(t, err)
	require.Len(t, m, 20)
	return m
}

// result is what testdata/orientation.py prints.
type result struct {
	IndexedCell     [6]float64 `json:"indexed_cell"`
	TrueCell        [6]float64 `json:"true_cell_in_indexed_setting"`
	ChangeOfBasis   string     `json:"change_of_basis"`
	BasisResidual   float64    `json:"basis_residual"`
	Misorientation  float64    `json:"misorientation_deg"`
	RMSDX           float64    `json:"rmsd_x_px"`
	RMSDY           float64    `json:"rmsd_y_px"`
	NUsed           int        `json:"n_used"`
	IndexedFraction float64    `json:"indexed_fraction"`
}

// checkIndexed compares DIALS's indexing with the truth, with the issue's
// tolerances: cell lengths within 0.3 %, angles within 0.2 degree,
// positional RMSD below 0.3 pixel, orientation within 0.1 degree.
func checkIndexed(t *testing.T, dir string) {
	t.Helper()
	script, err := filepath.Abs("testdata/orientation.py")
	require.NoError(t, err)
	out := run(t, dir, python, script, "truth.expt", "indexed.expt", "indexed.refl")
	var r result
	require.NoError(t, json.Unmarshal([]byte(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]), &r), out)
	t.Logf("indexed cell %.3f %.3f %.3f %.3f %.3f %.3f (true %.2f %.2f %.2f %.1f %.1f %.1f, basis %s), misorientation %.3f deg, RMSD %.3f %.3f px over %d reflections, %.1f %% indexed",
		r.IndexedCell[0], r.IndexedCell[1], r.IndexedCell[2], r.IndexedCell[3], r.IndexedCell[4], r.IndexedCell[5],
		r.TrueCell[0], r.TrueCell[1], r.TrueCell[2], r.TrueCell[3], r.TrueCell[4], r.TrueCell[5], r.ChangeOfBasis,
		r.Misorientation, r.RMSDX, r.RMSDY, r.NUsed, 100*r.IndexedFraction)
	require.Less(t, r.BasisResidual, 0.05, "the indexed lattice is not the true one")
	for i := 0; i < 3; i++ {
		require.InDelta(t, r.TrueCell[i], r.IndexedCell[i], 0.003*r.TrueCell[i], "cell length %d", i)
		require.InDelta(t, r.TrueCell[i+3], r.IndexedCell[i+3], 0.2, "cell angle %d", i)
	}
	require.Less(t, r.RMSDX, 0.3)
	require.Less(t, r.RMSDY, 0.3)
	require.Less(t, r.Misorientation, 0.1)
	require.Greater(t, r.IndexedFraction, 0.5)
}

// importAndIndex renders a sweep with template, imports its frames with
// plain dials.import (no overrides: the geometry comes from the image
// headers alone), which must choose format, and indexes them.
func importAndIndex(t *testing.T, template, glob, format string) {
	t.Helper()
	needDIALS(t)
	dir := t.TempDir()
	sweep(t, dir, template, "")
	out := run(t, dir, "dials.import", frames(t, dir, glob)...)
	require.Contains(t, out, format, "dials.import should read the frames with %s", format)
	run(t, dir, "dials.find_spots", "imported.expt", "nproc=1")
	run(t, dir, "dials.index", "imported.expt", "strong.refl")
	checkIndexed(t, dir)
}

// TestDIALSIndexesSMVSweep: SMV frames, through their headers.
func TestDIALSIndexesSMVSweep(t *testing.T) {
	importAndIndex(t, "img/lyso_#####.img", "img/lyso_*.img", "FormatSMVJHSim")
}

// TestDIALSIndexesCBFSweep: the same with miniCBF frames.
func TestDIALSIndexesCBFSweep(t *testing.T) {
	importAndIndex(t, "cbf/lyso_#####.cbf", "cbf/lyso_*.cbf", "FormatCBFMini")
}

// TestDIALSIndexesTiltedDetectorFromExpt: a detector with rotations and
// two-theta, which no SMV header describes, processed from the geometry of
// the .expt gobragg wrote (its crystal removed, so DIALS indexes afresh).
func TestDIALSIndexesTiltedDetectorFromExpt(t *testing.T) {
	needDIALS(t)
	dir := t.TempDir()
	sweep(t, dir, "img/tilt_#####.img", "-detector_rotx 4 -detector_roty -3 -detector_rotz 2 -twotheta 8")
	data, err := os.ReadFile(filepath.Join(dir, "truth.expt"))
	require.NoError(t, err)
	var l map[string]any
	require.NoError(t, json.Unmarshal(data, &l))
	l["crystal"] = []any{}
	for _, e := range l["experiment"].([]any) {
		delete(e.(map[string]any), "crystal")
	}
	geo, err := json.Marshal(l)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "geometry.expt"), geo, 0o644))
	run(t, dir, "dials.find_spots", "geometry.expt", "nproc=1")
	run(t, dir, "dials.index", "geometry.expt", "strong.refl")
	checkIndexed(t, dir)
}

// TestDXTBXReadsHeadersTruly: for every convention of an untilted detector
// and an off-centre beam, dxtbx puts the beam where gobragg put it, reads
// the ADC offset, and dials.show loads the written .expt.
func TestDXTBXReadsHeadersTruly(t *testing.T) {
	needDIALS(t)
	dir := t.TempDir()
	script := `
import sys, json, dxtbx
from dxtbx.model.experiment_list import ExperimentListFactory
img = dxtbx.load(sys.argv[1])
p = img.get_detector()[0]
e = ExperimentListFactory.from_json_file(sys.argv[2], check_format=False)[0]
q = e.detector[0]
print(json.dumps({"format": type(img).__name__, "header": p.get_beam_centre(img.get_beam().get_s0()),
  "expt": q.get_beam_centre(e.beam.get_s0()), "pedestal": img.get_detector()[0].get_trusted_range()[1]}))
`
	for _, conv := range []string{"-mosflm", "-denzo", "-adxv", "-xds", "-dials"} {
		args := conv + " -cell 50 60 70 90 90 90 -default_F 100 -N 3 -detpixels_f 64 -detpixels_s 48 -pixel 0.4 -distance 60 -Xbeam 10 -Ybeam 7 -nopgm -noprogress -seed 1"
		name := strings.TrimPrefix(conv, "-")
		img, ex := filepath.Join(dir, name+"_001.img"), filepath.Join(dir, name+".expt")
		runGobragg(t, append(strings.Fields(args), "-noisefile", img, "-expt", ex, "-intfile", filepath.Join(dir, name+".int"), "-floatfile", filepath.Join(dir, name+".bin")))
		out := run(t, dir, python, "-c", script, img, ex)
		var r struct {
			Format       string
			Header, Expt [2]float64
			Pedestal     float64
		}
		require.NoError(t, json.Unmarshal([]byte(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:]), &r), out)
		require.Equal(t, "FormatSMVJHSim", r.Format)
		// The header's %g numbers carry 6 significant digits.
		require.InDelta(t, r.Expt[0], r.Header[0], 5e-4, "%s fast beam centre (mm): header vs .expt", conv)
		require.InDelta(t, r.Expt[1], r.Header[1], 5e-4, "%s slow beam centre (mm): header vs .expt", conv)
		require.Equal(t, 65535.0-40, r.Pedestal, "%s: dxtbx read ADC_OFFSET 40", conv)
		show := run(t, dir, "dials.show", ex)
		require.Contains(t, show, "Unit cell: 50.000, 60.000, 70.000")
	}
}

// TestFabioReadsCBF: fabio (when installed) reads gobragg's miniCBF with
// the values gobragg wrote.
func TestFabioReadsCBF(t *testing.T) {
	if os.Getenv("GOBRAGG_DIALS") != "1" {
		t.Skip("run with `make test-dials`")
	}
	if err := exec.Command(python, "-c", "import fabio").Run(); err != nil {
		t.Skip("fabio is not importable by /usr/bin/python3: apt-get install python3-fabio")
	}
	dir := t.TempDir()
	cbf := filepath.Join(dir, "x_001.cbf")
	runGobragg(t, strings.Fields("-cell 50 60 70 90 90 90 -default_F 300 -N 5 -detpixels_f 64 -detpixels_s 48 -pixel 0.4 -distance 60 -nopgm -noprogress -seed 3 -nonoise -cbffile "+cbf+
		" -intfile "+filepath.Join(dir, "i.img")+" -floatfile "+filepath.Join(dir, "f.bin")))
	out := run(t, dir, python, "-c", "import fabio, sys; d = fabio.open(sys.argv[1]).data; print(d.shape[0], d.shape[1], int(d.sum()), int(d.max()), str(d.dtype))", cbf)
	fields := strings.Fields(out)
	require.Len(t, fields, 5, out)
	want := goSummary(t, cbf)
	require.Equal(t, want, strings.Join(fields, " "))
}

func goSummary(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	c, err := readCBF(f, path)
	require.NoError(t, err)
	var sum, mx int64 = 0, math.MinInt64
	for _, v := range c.Pixels {
		sum += int64(v)
		mx = max(mx, int64(v))
	}
	return strings.Join([]string{itoa(c.Height), itoa(c.Width), itoa64(sum), itoa64(mx), "int32"}, " ")
}

// TestDIALSFindsTheSpotsOfEachStill: dials.show and dials.find_spots read
// the experiment list of `gobragg stills`, and each shot's crystal in it
// gives integral Miller indices to that shot's spots (and not to another
// shot's: the control). (Debian's DIALS cannot index stills: its stills
// refinement needs xfel_mono_sim_ext, which the package lacks.)
func TestDIALSFindsTheSpotsOfEachStill(t *testing.T) {
	needDIALS(t)
	dir := t.TempDir()
	args := strings.Fields("-cell 79.1 79.1 38.4 90 90 90 -N 15 -default_F 10 -detpixels 512 -pixel 0.2 -distance 150 -oversample 1 " +
		"-mosaic 0.2 -mosaic_dom 5 -dispersion 0.5 -dispsteps 3 -noprogress")
	args = append(args, "-n", "4", "-seed", "4", "-template", filepath.Join(dir, "shots", "s_###.img"), "-expt", filepath.Join(dir, "truth.expt"))
	var out, errOut bytes.Buffer
	require.Equal(t, 0, dataset.StillsMain(args, &out, &errOut), errOut.String())
	require.Contains(t, run(t, dir, "dials.show", "truth.expt"), "Experiment 3:")
	run(t, dir, "dials.find_spots", "truth.expt", "nproc=1")
	script, err := filepath.Abs("testdata/stills_check.py")
	require.NoError(t, err)
	type shot struct {
		Experiment int     `json:"experiment"`
		Spots      int     `json:"spots"`
		Integral   float64 `json:"integral_fraction"`
	}
	read := func(shift string) []shot {
		var shots []shot
		for _, line := range strings.Split(strings.TrimSpace(run(t, dir, python, script, "truth.expt", "strong.refl", shift)), "\n") {
			var s shot
			if json.Unmarshal([]byte(line), &s) == nil && s.Spots > 0 {
				shots = append(shots, s)
			}
		}
		require.Len(t, shots, 4)
		return shots
	}
	for _, s := range read("0") {
		t.Logf("shot %d: %d spots, %.1f %% with integral indices", s.Experiment+1, s.Spots, 100*s.Integral)
		require.Greater(t, s.Spots, 50)
		require.Greater(t, s.Integral, 0.8, "shot %d's crystal does not explain its spots", s.Experiment+1)
	}
	for _, s := range read("1") {
		require.Less(t, s.Integral, 0.3, "control: shot %d's spots with another shot's crystal", s.Experiment+1)
	}
}
