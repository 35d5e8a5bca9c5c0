package dataset

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/compare"
	"gobragg/config"
	"gobragg/sim"
)

// tinySweep is a sweep small enough for unit tests (64x64 pixels).
const tinySweep = "-cell 50 60 70 90 90 90 -default_F 100 -N 5 -detpixels 64 -pixel 0.4 -distance 60 -misset 10 20 30 -phisteps 2"

// runSingle runs one plain gobragg simulation with its outputs in dir.
func runSingle(t *testing.T, dir string, args []string) {
	t.Helper()
	s, err := config.Parse(args)
	require.NoError(t, err)
	p, err := sim.Prepare(s, sim.Dirs{OutputDir: dir})
	require.NoError(t, err)
	require.NoError(t, p.Simulate(io.Discard))
}

func TestSweepFramesEqualSingleFrameRuns(t *testing.T) {
	dir := t.TempDir()
	args := append(strings.Fields(tinySweep), "-frames", "2-3", "-template", filepath.Join(dir, "sw", "f_###.img"),
		"-osc", "0.5", "-phi", "10", "-seed", "7")
	var log bytes.Buffer
	require.Equal(t, 0, SweepMain(args, &log, os.Stderr))
	require.Equal(t, 2, strings.Count(log.String(), "\n"), "one line per frame:\n%s", log.String())
	entries, err := os.ReadDir(filepath.Join(dir, "sw"))
	require.NoError(t, err)
	require.Len(t, entries, 2, "only the frames are written")

	// The equivalent command lines, written out by hand.
	for _, c := range []struct {
		frame int
		phi   string
	}{{2, "10.5"}, {3, "11"}} {
		single := t.TempDir()
		cmd := append(strings.Fields(tinySweep), "-phi", c.phi, "-osc", "0.5",
			"-seed", strconv.FormatInt(FrameSeed(7, c.frame), 10), "-noisefile", "frame.img")
		runSingle(t, single, cmd)
		want, err := os.ReadFile(filepath.Join(single, "frame.img"))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(dir, "sw", "f_00"+strconv.Itoa(c.frame)+".img"))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "frame %d differs from its single-frame run", c.frame)
		require.Contains(t, string(got[:512]), "PHI="+c.phi+";")
	}
}

func TestSweepSubsetsGiveTheSameFrames(t *testing.T) {
	dir := t.TempDir()
	base := append(strings.Fields(tinySweep), "-osc", "1", "-seed", "3")
	whole := append(append([]string(nil), base...), "-frames", "3", "-template", filepath.Join(dir, "a", "f_#.img"))
	part := append(append([]string(nil), base...), "-frames", "3-3", "-template", filepath.Join(dir, "b", "f_#.img"))
	require.Equal(t, 0, SweepMain(whole, io.Discard, os.Stderr))
	require.Equal(t, 0, SweepMain(part, io.Discard, os.Stderr))
	a, err := os.ReadFile(filepath.Join(dir, "a", "f_3.img"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "b", "f_3.img"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(a, b))
	_, err = os.Stat(filepath.Join(dir, "b", "f_1.img"))
	require.True(t, os.IsNotExist(err), "frames outside -frames are not written")
}

func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	tpl := filepath.Join(dir, "f_##.img")
	cases := []struct {
		name, args, want string
	}{
		{"no hash", "-frames 2 -osc 1 -template " + filepath.Join(dir, "f.img"), "no '#'"},
		{"two runs", "-frames 2 -osc 1 -template " + filepath.Join(dir, "f_##_##.img"), "more than one run"},
		{"too many frames", "-frames 100 -osc 1 -template " + tpl, "does not fit in 2 digits"},
		{"bad range", "-frames 3-1 -osc 1 -template " + tpl, "FIRST <= LAST"},
		{"zero frames", "-frames 0 -osc 1 -template " + tpl, "FIRST <= LAST"},
		{"no osc", "-frames 2 -template " + tpl, "-osc"},
		{"no frames", "-osc 1 -template " + tpl, "-frames"},
		{"bad extension", "-frames 2 -osc 1 -template " + filepath.Join(dir, "f_#.tif"), ".img"},
		{"random misset without seed", "-frames 2 -osc 1 -misset random -template " + tpl, "-misset_seed"},
		{"bad simulation option", "-frames 2 -osc 1 -distanse 5 -template " + tpl, "unknown option"},
		{"single-run output", "-frames 2 -osc 1 -intfile x.img -template " + tpl, "drop -intfile"},
		{"float template is the template", "-frames 2 -osc 1 -float_template " + tpl + " -template " + tpl, "is the output of -template"},
		{"expt is a frame", "-frames 2 -osc 1 -expt " + filepath.Join(dir, "f_01.img") + " -template " + tpl, "-expt " + filepath.Join(dir, "f_01.img") + ": is the output of -template"},
		{"expt is the last frame", "-frames 3 -osc 1 -expt " + filepath.Join(dir, "f_03.img") + " -template " + tpl, "is the output of -template"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append(strings.Fields(tinySweep), strings.Fields(c.args)...)
			require.Equal(t, 2, SweepMain(args, &out, &errOut))
			require.Equal(t, 1, strings.Count(errOut.String(), "\n"), errOut.String())
			require.Contains(t, errOut.String(), c.want)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Empty(t, entries, "nothing is written")
		})
	}
}

func TestParseTemplate(t *testing.T) {
	tp, err := ParseTemplate("out/x_####.img")
	require.NoError(t, err)
	p, err := tp.Frame(12)
	require.NoError(t, err)
	require.Equal(t, "out/x_0012.img", p)
	require.Equal(t, ".img", tp.Ext())
	_, err = ParseTemplate("out#/x.img")
	require.Error(t, err)
}

func TestFrameSeedIsPositiveAndSpread(t *testing.T) {
	seen := map[int64]bool{}
	for _, seed := range []int64{-5, 0, 1, 2, 1 << 40} {
		for i := 1; i <= 100; i++ {
			v := FrameSeed(seed, i)
			require.True(t, v >= 1 && v < 1<<31-1, "seed %d frame %d: %d", seed, i, v)
			require.False(t, seen[v], "seed %d frame %d repeats %d", seed, i, v)
			seen[v] = true
		}
	}
}

func TestSweepCBFFramesEqualSingleFrameRuns(t *testing.T) {
	dir := t.TempDir()
	args := append(strings.Fields(tinySweep), "-frames", "2", "-template", filepath.Join(dir, "c_##.cbf"),
		"-osc", "0.25", "-seed", "9", "-float_template", filepath.Join(dir, "f_##.bin"))
	require.Equal(t, 0, SweepMain(args, io.Discard, os.Stderr))
	single := t.TempDir()
	runSingle(t, single, append(strings.Fields(tinySweep), "-phi", "0.25", "-osc", "0.25",
		"-seed", strconv.FormatInt(FrameSeed(9, 2), 10), "-cbffile", "c.cbf", "-floatfile", "f.bin"))
	for _, pair := range [][2]string{{"c.cbf", "c_02.cbf"}, {"f.bin", "f_02.bin"}} {
		want, err := os.ReadFile(filepath.Join(single, pair[0]))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(dir, pair[1]))
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got), "%s differs from the single-frame run", pair[1])
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 4, "two CBF and two float frames, nothing else")
}

// TestSweepFollowsTheScanOfExptIn: a sweep of -expt_in's model numbers its
// frames by the list's scan and reproduces the sweep that wrote it.
func TestSweepFollowsTheScanOfExptIn(t *testing.T) {
	dir := t.TempDir()
	args := append(strings.Fields(tinySweep+" -oversample 1"), "-frames", "4-5", "-osc", "0.25", "-phi", "3", "-seed", "2",
		"-template", filepath.Join(dir, "a", "f_###.img"), "-expt", filepath.Join(dir, "a.expt"))
	require.Equal(t, 0, SweepMain(args, io.Discard, os.Stderr))
	again := []string{"-expt_in", filepath.Join(dir, "a.expt"), "-default_F", "100", "-N", "5", "-phisteps", "2", "-oversample", "1",
		"-frames", "4-5", "-seed", "2", "-template", filepath.Join(dir, "b", "f_###.img")}
	require.Equal(t, 0, SweepMain(again, io.Discard, os.Stderr))
	for _, f := range []string{"f_004.img", "f_005.img"} {
		a, err := compare.Load(filepath.Join(dir, "a", f), compare.Dims{})
		require.NoError(t, err)
		b, err := compare.Load(filepath.Join(dir, "b", f), compare.Dims{})
		require.NoError(t, err)
		// Headers differ (custom convention keys); PHI and the pixels do not.
		raw, err := os.ReadFile(filepath.Join(dir, "b", f))
		require.NoError(t, err)
		require.Contains(t, string(raw[:512]), "PHI="+map[string]string{"f_004.img": "3.75", "f_005.img": "4"}[f]+";")
		require.Equal(t, a.Pix, b.Pix, "%s pixels differ", f)
	}
}
