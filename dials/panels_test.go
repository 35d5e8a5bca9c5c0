package dials

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDIALSImportsMultiPanelCBF: the full CBF gobragg writes for the
// 64-panel CSPAD-like list is read by plain dials.import (no overrides)
// as a multi-panel detector with the list's geometry, panel for panel, as
// the .expt written beside it holds it; its hierarchy keeps the list's
// groups; each panel's counts are its share of the float image (Poisson
// draws of it, so their sums agree within 5 sigma).
func TestDIALSImportsMultiPanelCBF(t *testing.T) {
	needDIALS(t)
	dir := t.TempDir()
	list, err := filepath.Abs("../expt/testdata/cspad64.expt")
	require.NoError(t, err)
	runGobragg(t, strings.Fields("-expt_in "+list+" -default_F 100 -N 5 -noprogress -seed 2 -cbffile "+filepath.Join(dir, "shot_00001.cbf")+
		" -expt "+filepath.Join(dir, "sim.expt")+" -floatfile "+filepath.Join(dir, "sim.bin")))
	out := run(t, dir, "dials.import", "shot_00001.cbf")
	require.Contains(t, out, "FormatCBFMultiTileHierarchyStill")
	script := `
import sys, json
from dxtbx.model.experiment_list import ExperimentListFactory
ours = ExperimentListFactory.from_json_file(sys.argv[1], check_format=False)[0].detector
e = ExperimentListFactory.from_json_file(sys.argv[2], check_format=True)[0]
theirs = e.detector
worst = 0.0
same = True
for p, q in zip(ours, theirs):
    for u, v in ((p.get_origin(), q.get_origin()), (p.get_fast_axis(), q.get_fast_axis()), (p.get_slow_axis(), q.get_slow_axis())):
        worst = max(worst, max(abs(x - y) for x, y in zip(u, v)))
    same = same and p.get_image_size() == q.get_image_size() and p.get_pixel_size() == q.get_pixel_size()
depth = lambda g: 0 if g.is_panel() else 1 + max(depth(c) for c in g)
sums = [int(sum(r)) for r in e.imageset.get_raw_data(0)]
print(json.dumps({"panels": [len(ours), len(theirs)], "worst": worst, "same_sizes": same,
  "depth": [depth(ours.hierarchy()), depth(theirs.hierarchy())], "sums": sums}))
`
	got := run(t, dir, python, "-c", script, "sim.expt", "imported.expt")
	var r struct {
		Panels    [2]int
		Worst     float64
		SameSizes bool `json:"same_sizes"`
		Depth     [2]int
		Sums      []int64
	}
	require.NoError(t, json.Unmarshal([]byte(got[strings.LastIndex(strings.TrimSpace(got), "\n")+1:]), &r), got)
	require.Equal(t, [2]int{64, 64}, r.Panels)
	// Both sides compose the same local frames; the CBF's axis and angle
	// of each group's rotation round-trip to ~1e-14 mm over 60 mm.
	require.Less(t, r.Worst, 1e-9, "largest difference of a panel's origin or axis (mm)")
	require.True(t, r.SameSizes)
	require.Equal(t, r.Depth[0], r.Depth[1], "hierarchy depth")
	raw, err := os.ReadFile(filepath.Join(dir, "sim.bin"))
	require.NoError(t, err)
	require.Len(t, r.Sums, 64)
	for i := range 64 {
		mean := 0.0
		for k := i * 120; k < (i+1)*120; k++ { // 12 x 10 pixels a panel
			mean += float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:])))
		}
		require.InDelta(t, mean, float64(r.Sums[i]), 5*math.Sqrt(mean)+1, "panel %d: counts against the float image", i)
	}

	// Sharper spots (larger crystal, weaker F): dials.find_spots finds
	// them on the imported panels.
	spots := filepath.Join(dir, "spots")
	require.NoError(t, os.Mkdir(spots, 0o755))
	runGobragg(t, strings.Fields("-expt_in "+list+" -default_F 10 -N 15 -noprogress -seed 3 -cbffile "+filepath.Join(spots, "shot_00001.cbf")+
		" -floatfile "+filepath.Join(spots, "f.bin")))
	run(t, spots, "dials.import", "shot_00001.cbf")
	found := run(t, spots, "dials.find_spots", "imported.expt", "nproc=1")
	require.Regexp(t, `Saved [1-9][0-9]+ reflections to strong.refl`, found)
}
