package dataset

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/progress"
)

// TestSweepAndStillsProgress: with stderr not a terminal, sweep and stills
// write one line per frame (per shot) on stdout and nothing on stderr;
// with a bar (as on a terminal) the same lines go to the log and the bar
// counts the frames to 100 %, drawn after the last line.
func TestSweepAndStillsProgress(t *testing.T) {
	dir := t.TempDir()
	tiny := strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 2 -detpixels 16 -pixel 1.6 -distance 60")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, SweepMain(append(tiny, "-frames", "2", "-osc", "1", "-template", filepath.Join(dir, "f_#.img")), &out, &errOut))
	require.Equal(t, 0, StillsMain(append(tiny, "-n", "2", "-template", filepath.Join(dir, "s_#.img")), &out, &errOut))
	require.Empty(t, errOut.String(), "stderr is not a terminal: no bar")
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 4, out.String())
	for k, prefix := range []string{"frame 1: phi 0 to 1 deg", "frame 2: phi 1 to 2 deg", "shot 1: max_I", "shot 2: max_I"} {
		require.True(t, strings.HasPrefix(lines[k], prefix), "line %d %q, want %q...", k, lines[k], prefix)
	}

	sw, err := ParseSweep(append(tiny, "-frames", "2", "-osc", "1", "-template", filepath.Join(dir, "g_#.img")))
	require.NoError(t, err)
	var log, bar bytes.Buffer
	sw.ProgressBar = &bar
	require.NoError(t, sw.RenderFrames(sw.Frames, &log))
	require.Equal(t, 2, strings.Count(log.String(), "\n"), log.String())
	require.NotContains(t, log.String(), "\r", "the log has lines only")
	require.Contains(t, bar.String(), "\rsweep   0% [")
	require.Equal(t, 2, strings.Count(bar.String(), "\r\033[K"), "the bar is cleared for each line: %q", bar.String())
	last := bar.String()[strings.LastIndex(bar.String(), "\r"):]
	require.Contains(t, last, "sweep 100% [")
	require.Contains(t, last, "frames/s, took")
	require.True(t, strings.HasSuffix(last, "\n"))
}

// TestProgressBarNeedsATerminal: the bar goes to stderr only when it is a
// terminal (a pseudo terminal from /dev/ptmx here) and the command line
// does not say -noprogress.
func TestProgressBarNeedsATerminal(t *testing.T) {
	tiny := strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -detpixels 16")
	args := func(extra ...string) func(int) ([]string, error) {
		return func(int) ([]string, error) { return append(append([]string(nil), tiny...), extra...), nil }
	}
	require.Nil(t, progressBar(&bytes.Buffer{}, []int{1}, args()), "a buffer is no terminal")
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo terminal to test with (%v)", err)
	}
	defer pty.Close()
	if !progress.IsTerminal(pty) {
		t.Skip("/dev/ptmx is not a terminal here")
	}
	require.Equal(t, io.Writer(pty), progressBar(pty, []int{1}, args()))
	require.Nil(t, progressBar(pty, []int{1}, args("-noprogress")))
	require.Nil(t, progressBar(pty, nil, args()), "no frames, no bar")
}
