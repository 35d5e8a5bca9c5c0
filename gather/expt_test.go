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

// The experiment list gather writes for a sharded sweep is the file the
// one-machine run of the same command line writes with -expt.
func TestGatherWritesTheSweepsExpt(t *testing.T) {
	dir := t.TempDir()
	expt := filepath.Join(dir, "sweep.expt")
	args := append(strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 3 -detpixels 24 -pixel 0.4 -distance 60"+
		" -misset 10 20 30 -osc 0.5 -phi 3 -seed 2 -frames 5 -expt"), expt, "-template", filepath.Join(dir, "f_##.img"))
	var errs bytes.Buffer
	require.Equal(t, 0, dataset.SweepMain(args, io.Discard, &errs), errs.String())
	want, err := os.ReadFile(expt)
	require.NoError(t, err)
	require.NoError(t, os.Remove(expt))
	paths, _ := filepath.Glob(filepath.Join(dir, "f_*.img"))
	for _, p := range paths {
		require.NoError(t, os.Remove(p))
	}

	for _, i := range []string{"1/2", "0/2"} {
		require.Equal(t, 0, dataset.SweepMain(append(args, "-shard", i), io.Discard, &errs), errs.String())
	}
	assert.NoFileExists(t, expt, "shards leave the experiment list to gather")
	code, out, stderr := gatherRun(dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "wrote "+expt+" (DIALS experiment list of frames 1-5)")
	got, err := os.ReadFile(expt)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	other := filepath.Join(t.TempDir(), "all.expt")
	code, _, stderr = gatherRun("-noverify", "-expt", other, dir)
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, other)
}
