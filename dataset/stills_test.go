package dataset

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/expt"
)

func TestStillsShotsEqualSingleFrameRunsAndDiffer(t *testing.T) {
	dir := t.TempDir()
	tiny := "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -detpixels 64 -pixel 0.4 -distance 60"
	args := append(strings.Fields(tiny), "-n", "2", "-seed", "5", "-template", filepath.Join(dir, "s_#.img"), "-expt", filepath.Join(dir, "s.expt"))
	var out bytes.Buffer
	require.Equal(t, 0, StillsMain(args, &out, os.Stderr))
	require.Equal(t, 3, strings.Count(out.String(), "\n"), out.String())

	single := t.TempDir()
	runSingle(t, single, append(strings.Fields(tiny), "-phi", "0", "-osc", "0",
		"-misset_seed", strconv.FormatInt(OrientationSeed(5, 2), 10), "-misset", "random",
		"-seed", strconv.FormatInt(FrameSeed(5, 2), 10), "-noisefile", "shot.img"))
	want, err := os.ReadFile(filepath.Join(single, "shot.img"))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(dir, "s_2.img"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, got), "shot 2 differs from its single-frame run")

	f, err := os.Open(filepath.Join(dir, "s.expt"))
	require.NoError(t, err)
	defer f.Close()
	l, err := expt.Read(f, "s.expt")
	require.NoError(t, err)
	require.Len(t, l.Experiments, 2)
	require.Len(t, l.Crystals, 2)
	require.NotEqual(t, l.Crystals[0].RealSpaceA, l.Crystals[1].RealSpaceA, "each shot has its own orientation")
	require.Empty(t, l.Scans, "stills have no scan")
	require.Equal(t, "ImageSet", l.ImageSets[1].ID)
	require.Equal(t, filepath.Join(dir, "s_2.img"), l.ImageSets[1].Images[0])
}

func TestStillsBadInput(t *testing.T) {
	dir := t.TempDir()
	base := "-cell 50 60 70 90 90 90 -default_F 1 -detpixels 16 "
	for _, c := range []struct{ args, want string }{
		{"-n 2 -template " + filepath.Join(dir, "s.img"), "no '#'"},
		{"-n 2 -misset 1 2 3 -template " + filepath.Join(dir, "s_#.img"), "drop -misset"},
		{"-template " + filepath.Join(dir, "s_#.img"), "-n"},
		{"-n 0 -template " + filepath.Join(dir, "s_#.img"), "FIRST <= LAST"},
	} {
		var errOut bytes.Buffer
		require.Equal(t, 2, StillsMain(strings.Fields(base+c.args), io.Discard, &errOut), c.args)
		require.Equal(t, 1, strings.Count(errOut.String(), "\n"))
		require.Contains(t, errOut.String(), c.want)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries)
}

func TestSweepExptDescribesTheFrames(t *testing.T) {
	dir := t.TempDir()
	args := append(strings.Fields(tinySweep), "-frames", "3-4", "-osc", "0.5", "-phi", "2", "-seed", "1",
		"-template", filepath.Join(dir, "f_###.img"), "-expt", filepath.Join(dir, "sweep.expt"))
	require.Equal(t, 0, SweepMain(args, io.Discard, os.Stderr))
	data, err := os.ReadFile(filepath.Join(dir, "sweep.expt"))
	require.NoError(t, err)
	var l expt.List
	require.NoError(t, json.Unmarshal(data, &l))
	require.Equal(t, [2]int{3, 4}, l.Scans[0].ImageRange)
	require.Equal(t, [2]float64{3, 0.5}, l.Scans[0].Oscillation, "image 3 starts at 2 + 2*0.5 degrees")
	require.Equal(t, filepath.Join(dir, "f_###.img"), l.ImageSets[0].Template)
	require.Equal(t, 40.0, l.Detectors[0].Panels[0].Pedestal)
}
