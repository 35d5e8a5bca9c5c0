package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/dataset"
	"gobragg/expt"
)

// TestMultiPanelSweep: a sweep of the 64-panel CSPAD-like list writes one
// full CBF per frame, each the bytes of its single-frame command line and
// carrying its spindle rotation, and the -expt list of the sweep: the
// detector as read, a goniometer and the frames' scan.
func TestMultiPanelSweep(t *testing.T) {
	dir := t.TempDir()
	list, err := filepath.Abs("../../expt/testdata/cspad64.expt")
	require.NoError(t, err)
	sim := strings.Fields("-expt_in " + list + " -default_F 100 -N 5 -noprogress")
	mustRun(t, dir, append([]string{"sweep", "-frames", "2", "-osc", "0.5", "-phi", "10", "-seed", "4",
		"-template", "f_###.cbf", "-expt", "sweep.expt"}, sim...)...)

	// Frame 2 is what its single-frame command line writes.
	mustRun(t, dir, append(sim, "-phi", "10.5", "-osc", "0.5", "-seed", strconv.FormatInt(dataset.FrameSeed(4, 2), 10),
		"-cbffile", "one_002.cbf")...)
	got, err := os.ReadFile(filepath.Join(dir, "f_002.cbf"))
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join(dir, "one_002.cbf"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, got), "frame 2 differs from its single-frame run")
	require.Contains(t, string(got), " GONIOMETER FRAME1 10.5 0\r\n")
	require.Contains(t, string(got), " GONIOMETER SCAN1 10.5 0.5 0.5 0 0 0\r\n")

	read := func(path string) expt.Single {
		l, err := expt.ReadFile(path)
		require.NoError(t, err)
		e, err := l.Single(path)
		require.NoError(t, err)
		return e
	}
	in, back := read(list), read(filepath.Join(dir, "sweep.expt"))
	require.Equal(t, in.Panels, back.Panels)
	require.NotNil(t, back.Scan)
	require.Equal(t, [2]int{1, 2}, back.Scan.ImageRange)
	require.Equal(t, [2]float64{10, 0.5}, back.Scan.Oscillation)
	require.NotNil(t, back.Goniometer)
}
