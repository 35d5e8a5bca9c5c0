package dials

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gobragg/dataset"
	"gobragg/expt"
)

var update = flag.Bool("update", false, "rewrite testdata/cspad64_rotation.expt from cspadSweepList")

// cspadSweepFile is the multi-panel rotation experiment the DIALS test
// renders; sweepFrames its number of frames.
const (
	cspadSweepFile = "testdata/cspad64_rotation.expt"
	sweepFrames    = 20
)

// TestCSPADRotationTestData: the saved list is cspadSweepList's.
func TestCSPADRotationTestData(t *testing.T) {
	text, err := json.Marshal(cspadSweepList(t, sweepFrames))
	require.NoError(t, err)
	want := append(text, '\n')
	if *update {
		require.NoError(t, os.WriteFile(cspadSweepFile, want, 0o644))
	}
	have, err := os.ReadFile(cspadSweepFile)
	require.NoError(t, err)
	require.Equal(t, string(want), string(have), "go test ./dials -run TestCSPADRotationTestData -update rewrites it")
}

// cspadSweepList is a rotation experiment on expt.CSPADLike's 64 panels
// (ASICs of 64 x 60 pixels of 0.11 mm, the CSPAD's pixel, at 60 mm: 2.2 Å
// in the corners at 1 Å), a 60 x 70 x 80 Å orthorhombic crystal turned off
// the axes, the spindle along x and a scan of frames 0.5 degree wide.
func cspadSweepList(t *testing.T, frames int) *expt.List {
	t.Helper()
	det := expt.CSPADLike(64, 60, 0.11, 60)
	// U = Rz(30) Ry(20) Rx(10): no cell axis along the beam or the spindle.
	rot := func(axis int, deg float64, v [3]float64) [3]float64 {
		s, c := math.Sincos(deg * math.Pi / 180)
		i, j := (axis+1)%3, (axis+2)%3
		out := v
		out[i], out[j] = c*v[i]-s*v[j], s*v[i]+c*v[j]
		return out
	}
	u := func(v [3]float64) [3]float64 { return rot(2, 30, rot(1, 20, rot(0, 10, v))) }
	gonio := expt.Goniometer{RotationAxis: [3]float64{1, 0, 0}, FixedRotation: expt.Identity, SettingRotation: expt.Identity}
	scan := expt.Scan{ImageRange: [2]int{1, frames}, Oscillation: [2]float64{0, 0.5},
		ExposureTime: make([]float64, frames), Epochs: make([]float64, frames), ValidImageRanges: map[string]any{}}
	l, err := expt.NewList([]expt.Shot{{
		Beam:       expt.Beam{Direction: [3]float64{0, 0, 1}, WavelengthA: 1, PolarizationNormal: [3]float64{0, 1, 0}, PolarizationFraction: 0.999, Transmission: 1},
		Detector:   &det,
		Goniometer: &gonio,
		Scan:       &scan,
		Crystal: &expt.Crystal{ID: "crystal", RealSpaceA: u([3]float64{60, 0, 0}), RealSpaceB: u([3]float64{0, 70, 0}),
			RealSpaceC: u([3]float64{0, 0, 80}), SpaceGroupHall: " P 1"},
		Template: "/cspad/rot_#####.cbf",
	}})
	require.NoError(t, err)
	return l
}

// TestDIALSIndexesMultiPanelSweep: gobragg sweep renders the rotation
// sweep of testdata/cspad64_rotation.expt on its 64 panels as full CBFs; plain dials.import reads them as
// one sequence with the panels of the list gobragg wrote beside them, and
// dials.find_spots and dials.index find the true lattice.
func TestDIALSIndexesMultiPanelSweep(t *testing.T) {
	needDIALS(t)
	const frames = sweepFrames
	dir := t.TempDir()
	in, err := filepath.Abs(cspadSweepFile)
	require.NoError(t, err)

	start := time.Now()
	args := strings.Fields("-expt_in " + in + " -N 15 -default_F 10 -oversample 1 -phisteps 10 -noprogress -seed 1" +
		" -frames " + itoa(frames) + " -template " + filepath.Join(dir, "cbf", "rot_#####.cbf") + " -expt " + filepath.Join(dir, "truth.expt"))
	var out, errOut bytes.Buffer
	require.Equal(t, 0, dataset.SweepMain(args, &out, &errOut), errOut.String())
	t.Logf("gobragg sweep (%d frames of 64 panels): %.1f s", frames, time.Since(start).Seconds())

	m, err := filepath.Glob(filepath.Join(dir, "cbf", "rot_*.cbf"))
	require.NoError(t, err)
	require.Len(t, m, frames)
	imported := run(t, dir, "dials.import", m...)
	require.Contains(t, imported, "FormatCBFMultiTileHierarchy")
	require.NotContains(t, imported, "FormatCBFMultiTileHierarchyStill", "the frames should import as a rotation sequence")

	// The imported sequence has the list's panels, goniometer and scan.
	script := `
import sys, json
from dxtbx.model.experiment_list import ExperimentListFactory
ours = ExperimentListFactory.from_json_file(sys.argv[1], check_format=False)[0]
theirs = ExperimentListFactory.from_json_file(sys.argv[2], check_format=False)
e = theirs[0]
worst = 0.0
for p, q in zip(ours.detector, e.detector):
    for u, v in ((p.get_origin(), q.get_origin()), (p.get_fast_axis(), q.get_fast_axis()), (p.get_slow_axis(), q.get_slow_axis())):
        worst = max(worst, max(abs(x - y) for x, y in zip(u, v)))
axis = max(abs(x - y) for x, y in zip(ours.goniometer.get_rotation_axis(), e.goniometer.get_rotation_axis()))
print(json.dumps({"experiments": len(theirs), "panels": [len(ours.detector), len(e.detector)], "worst": worst, "axis": axis,
  "image_range": list(e.scan.get_image_range()), "oscillation": list(e.scan.get_oscillation()),
  "truth_oscillation": list(ours.scan.get_oscillation())}))
`
	got := run(t, dir, python, "-c", script, "truth.expt", "imported.expt")
	var r struct {
		Experiments      int
		Panels           [2]int
		Worst, Axis      float64
		ImageRange       [2]int     `json:"image_range"`
		Oscillation      [2]float64 `json:"oscillation"`
		TruthOscillation [2]float64 `json:"truth_oscillation"`
	}
	require.NoError(t, json.Unmarshal([]byte(got[strings.LastIndex(strings.TrimSpace(got), "\n")+1:]), &r), got)
	t.Logf("imported: %+v", r)
	require.Equal(t, 1, r.Experiments, "one sequence")
	require.Equal(t, [2]int{64, 64}, r.Panels)
	// The CBF's axes and angles round-trip the frames to ~1e-14 mm over 60 mm.
	require.Less(t, r.Worst, 1e-9, "largest difference of a panel's origin or axis (mm)")
	require.Less(t, r.Axis, 1e-12, "spindle axis")
	require.Equal(t, [2]int{1, frames}, r.ImageRange)
	require.Equal(t, r.TruthOscillation, r.Oscillation)

	run(t, dir, "dials.find_spots", "imported.expt", "nproc=1")
	indexed := run(t, dir, "dials.index", "imported.expt", "strong.refl")
	if i := strings.LastIndex(indexed, "RMSDs by experiment"); i >= 0 {
		t.Logf("dials.index: %s", indexed[i:min(len(indexed), i+600)])
	}
	checkIndexed(t, dir)
}
