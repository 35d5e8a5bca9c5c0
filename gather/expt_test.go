package gather

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/dataset"
)

// exptOfShards runs a data set's command (args, which write -expt expt
// into dir) on one machine and then as the given shards, checks that
// gather writes the one-machine experiment list, and returns gather's
// standard output.
func exptOfShards(t *testing.T, main func([]string, io.Writer, io.Writer) int, dir, expt string, args []string, shards ...string) string {
	t.Helper()
	var errs bytes.Buffer
	require.Equal(t, 0, main(args, io.Discard, &errs), errs.String())
	want, err := os.ReadFile(expt)
	require.NoError(t, err)
	require.NoError(t, os.Remove(expt))
	for _, s := range shards {
		require.Equal(t, 0, main(append(args, "-shard", s), io.Discard, &errs), errs.String())
	}
	assert.NoFileExists(t, expt, "shards leave the experiment list to gather")
	code, out, stderr := gatherRun(dir)
	require.Equal(t, 0, code, stderr)
	got, err := os.ReadFile(expt)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "gather's experiment list is the one-machine run's")
	return out
}

// The experiment list gather writes for a sharded sweep is the file the
// one-machine run of the same command line writes with -expt.
func TestGatherWritesTheSweepsExpt(t *testing.T) {
	dir := t.TempDir()
	expt := filepath.Join(dir, "sweep.expt")
	args := append(strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 3 -detpixels 24 -pixel 0.4 -distance 60"+
		" -misset 10 20 30 -osc 0.5 -phi 3 -seed 2 -frames 5 -expt"), expt, "-template", filepath.Join(dir, "f_##.img"))
	out := exptOfShards(t, dataset.SweepMain, dir, expt, args, "1/2", "0/2")
	assert.Contains(t, out, "wrote "+expt+" (DIALS experiment list of frames 1-5)")

	other := filepath.Join(t.TempDir(), "all.expt")
	code, _, stderr := gatherRun("-noverify", "-expt", other, dir)
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, other)
}

// The same for still shots: one experiment (and crystal) per shot.
func TestGatherWritesTheStillsExpt(t *testing.T) {
	dir := t.TempDir()
	expt := filepath.Join(dir, "stills.expt")
	args := append(strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 3 -detpixels 24 -pixel 0.4 -distance 60"+
		" -seed 9 -n 4 -expt"), expt, "-template", filepath.Join(dir, "s_##.img"))
	out := exptOfShards(t, dataset.StillsMain, dir, expt, args, "2/3", "0/3", "1/3")
	assert.Contains(t, out, "stills of 4 shots (1-4), 3 manifests")
}

// The command's -expt outside the shards' folder is not where gather
// writes (gather writes inside the folder it is given): the list goes to
// DIR/NAME.expt, and gather says why.
func TestGatherCommandExptOutsideFolder(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "frames")
	outside := filepath.Join(top, "sweep.expt")
	args := append(strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 3 -detpixels 16 -pixel 0.4 -distance 60"+
		" -osc 0.5 -seed 2 -frames 3 -expt"), outside, "-template", filepath.Join(dir, "f_##.img"), "-shard", "0/1")
	var errs bytes.Buffer
	require.Equal(t, 0, dataset.SweepMain(args, io.Discard, &errs), errs.String())
	code, out, stderr := gatherRun(dir)
	require.Equal(t, 0, code, stderr)
	written := filepath.Join(dir, "f.expt")
	assert.Contains(t, out, "wrote "+written+" (DIALS experiment list of frames 1-3; the command's -expt "+outside+" is outside the folder)")
	assert.FileExists(t, written)
	assert.NoFileExists(t, outside)
}
