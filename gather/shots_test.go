package gather

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/imageio"
	"gobragg/shard"
)

// writeRefineShards fakes the shards of a per-shot refinement of 9 shots:
// each writes shot_NNN.json in gobragg refine's result format.
func writeRefineShards(t *testing.T, dir string) {
	t.Helper()
	for i := 0; i < 3; i++ {
		out := func(n int) string { return filepath.Join(dir, fmt.Sprintf("shot_%03d.json", n)) }
		j := &shard.Job{Kind: "refine", Unit: "shot", Command: []string{"refine", "-shots", "9", "-expt", "shots.expt"},
			First: 1, Last: 9, Shard: shard.Spec{Index: i, Count: 3}, Dir: dir, Name: "shot",
			Outputs: func(n int) []string { return []string{out(n)} },
			Render: func(n int) (map[string]int64, error) {
				sigma := fmt.Sprint(0.01 * float64(n))
				if n == 5 {
					sigma = "null" // not determined by this shot
				}
				status := `"converged": true, "reason": "converged: gradient threshold"`
				if n == 7 {
					sigma = "null" // a fit that did not converge has no sigmas
					status = `"converged": false, "reason": "iteration limit"`
				}
				return nil, imageio.WriteFileAtomic(out(n), func(w io.Writer) error {
					_, err := fmt.Fprintf(w, `{"parameters": {"distance": {"start": 100, "value": %g, "sigma": %s, "unit": "mm"},
  "cell_a": {"start": 79, "value": 79.1, "sigma": 0.02, "unit": "Angstrom"}},
  "final_loss": %d.5, "iterations": %d, "status": "GradientThreshold", %s, "command": ["refine"]}`, 100+0.1*float64(n), sigma, -1000*n, 10+n, status)
					return err
				})
			}}
		_, err := j.Run()
		require.NoError(t, err)
	}
}

func TestGatherRefineTable(t *testing.T) {
	dir := t.TempDir()
	writeRefineShards(t, dir)
	code, out, errs := gatherRun(dir)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "refine of 9 shots (1-9), 3 manifests")
	assert.Contains(t, out, "(9 shots, 2 parameters)")
	assert.Contains(t, out, "1 shots did not converge")

	f, err := os.Open(filepath.Join(dir, "shot.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 10)
	assert.Equal(t, []string{"shot", "file", "cell_a", "cell_a_sigma", "cell_a_start",
		"distance", "distance_sigma", "distance_start", "converged", "final_loss", "iterations", "reason", "status"}, rows[0])
	assert.Equal(t, []string{"3", "shot_003.json", "79.1", "0.02", "79", "100.3", "0.03", "100", "true", "-3000.5", "13",
		"converged: gradient threshold", "GradientThreshold"}, rows[3])
	assert.Equal(t, []string{"false", "iteration limit"}, []string{rows[7][8], rows[7][11]}, "shot 7's status")
	assert.Equal(t, "", rows[5][6], "an undetermined sigma is an empty cell")

	b, err := os.ReadFile(filepath.Join(dir, "shot_parameters.png"))
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, 2*384, img.Bounds().Dx(), "two panels side by side, 4 inches at 96 dpi")
	assert.Equal(t, 288, img.Bounds().Dy())
}

func TestGatherRefineBadResult(t *testing.T) {
	dir := t.TempDir()
	writeRefineShards(t, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "shot_004.json"), []byte(`{"loss": 1}`), 0o644))
	code, _, errs := gatherRun("-noverify", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, `shot 4: `)
	assert.Contains(t, errs, `no "parameters" object`)
	assert.Equal(t, 1, strings.Count(errs, "\n"), errs)
	assert.NoFileExists(t, filepath.Join(dir, "shot.csv"))
}

// Outputs that cannot be written are refused before anything is written.
func TestGatherRefusesUnwritableOutputs(t *testing.T) {
	dir := t.TempDir()
	writeRefineShards(t, dir)
	for _, opt := range []string{"-csv", "-png", "-expt"} {
		out := filepath.Join(dir, "nodir", "x")
		code, _, errs := gatherRun(opt, out, dir)
		assert.Equal(t, 2, code, opt)
		assert.Contains(t, errs, opt+" "+out+": directory "+filepath.Join(dir, "nodir")+" does not exist", opt)
		assert.NoFileExists(t, filepath.Join(dir, "shot.csv"), opt)
	}
}

// A PNG that cannot be written leaves no CSV behind: both files or neither.
// gather refuses such a -png before it writes anything; writeShotTables,
// when the write itself fails, removes the CSV it had written.
func TestGatherRefineTablesBothOrNeither(t *testing.T) {
	dir := t.TempDir()
	writeRefineShards(t, dir)
	pngDir := filepath.Join(dir, "a_directory.png")
	require.NoError(t, os.Mkdir(pngDir, 0o755))
	code, _, errs := gatherRun("-png", pngDir, dir)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "-png "+pngDir+": is a directory")
	assert.NoFileExists(t, filepath.Join(dir, "shot.csv"))
	d, err := shard.Open(dir)
	require.NoError(t, err)
	err = writeShotTables(d, filepath.Join(dir, "shot.csv"), pngDir, io.Discard)
	assert.ErrorContains(t, err, "is a directory")
	assert.NoFileExists(t, filepath.Join(dir, "shot.csv"))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".tmp-", "temporary file left behind")
	}
}

// The distributions leave out the shots that did not converge, and say so.
func TestGatherDistributionsLeaveOutNotConverged(t *testing.T) {
	dir := t.TempDir()
	writeRefineShards(t, dir)
	d, err := shard.Open(dir)
	require.NoError(t, err)
	shots, err := ReadShots(d)
	require.NoError(t, err)
	kept, left := Converged(shots)
	require.Equal(t, 1, left)
	require.Len(t, kept, 8)
	p, err := histogram(kept, "distance", "mm", left)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "distance: 8 shots")
	assert.Contains(t, p.Title.Text, "1 shots left out: did not converge")
}

// An output that names a file of the dataset, or another output, is
// refused before anything is written: the file is untouched.
func TestGatherOutputsNotInputs(t *testing.T) {
	dir := t.TempDir()
	writeRefineShards(t, dir)
	result := filepath.Join(dir, "shot_004.json")
	before, err := os.ReadFile(result)
	require.NoError(t, err)
	for _, args := range [][]string{
		{"-csv", result, dir},
		{"-png", result, dir},
		{"-csv", filepath.Join(dir, "t.csv"), "-png", filepath.Join(dir, "t.csv"), dir},
	} {
		code, _, errs := gatherRun(args...)
		assert.Equal(t, 2, code, errs)
		assert.Equal(t, 1, strings.Count(errs, "\n"), errs)
		assert.Contains(t, errs, "give another file")
		after, err := os.ReadFile(result)
		require.NoError(t, err)
		assert.Equal(t, before, after, "the result file is untouched")
		assert.NoFileExists(t, filepath.Join(dir, "t.csv"))
	}
}
