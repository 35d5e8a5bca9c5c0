package gather

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/imageio"
	"gobragg/shard"
)

// writeShards runs the given shards of a 12-frame fake sweep into dir.
func writeShards(t *testing.T, dir string, count int, indices ...int) {
	t.Helper()
	for _, i := range indices {
		out := func(n int) string { return filepath.Join(dir, fmt.Sprintf("f_%03d.img", n)) }
		j := &shard.Job{Kind: "sweep", Unit: "frame", Command: []string{"sweep", "-frames", "12"},
			First: 1, Last: 12, Shard: shard.Spec{Index: i, Count: count}, Dir: dir, Name: "f",
			Outputs: func(n int) []string { return []string{out(n)} },
			Render: func(n int) (map[string]int64, error) {
				return nil, imageio.WriteFileAtomic(out(n), func(w io.Writer) error {
					_, err := fmt.Fprintf(w, "frame %d", n)
					return err
				})
			}}
		_, err := j.Run()
		require.NoError(t, err)
	}
}

func gatherRun(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestGatherComplete(t *testing.T) {
	dir := t.TempDir()
	writeShards(t, dir, 3, 2, 0, 1)
	code, out, errs := gatherRun("-noexpt", dir)
	assert.Equal(t, 0, code, errs)
	assert.Contains(t, out, "sweep of 12 frames (1-12), 3 manifests")
	assert.Contains(t, out, "complete: every frame exactly once, 12 files verified (size and sha256)")
}

func TestGatherIncomplete(t *testing.T) {
	dir := t.TempDir()
	writeShards(t, dir, 4, 0, 3)
	code, _, errs := gatherRun(dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "6 missing frames: 4-9\n")
	assert.Contains(t, errs, "shards with no manifest: 1/4, 2/4\n")

	writeShards(t, dir, 2, 0)
	code, _, errs = gatherRun("-noverify", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "3 missing frames: 7-9\n")
	assert.Contains(t, errs, "3 duplicated frames: 1-3\n")
	assert.Contains(t, errs, "  frames 1-3 in f.shard-0-of-2.json, f.shard-0-of-4.json\n")
}

func TestGatherCorrupt(t *testing.T) {
	dir := t.TempDir()
	writeShards(t, dir, 1, 0)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "f_007.img"), []byte("frame 8"), 0o644))
	code, _, errs := gatherRun(dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "corrupt: frame 7:")
	assert.Contains(t, errs, "sha256")
}

func TestGatherBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, 2, "want one directory, got 0 arguments"},
		{[]string{"-bogus", "x"}, 2, "flag provided but not defined: -bogus"},
		{[]string{t.TempDir()}, 1, "no shard manifest"},
		{[]string{filepath.Join(t.TempDir(), "absent")}, 1, "no such file or directory"},
	} {
		code, _, errs := gatherRun(c.args...)
		assert.Equal(t, c.code, code, "%v", c.args)
		assert.Contains(t, errs, c.msg, "%v", c.args)
		assert.Equal(t, 1, bytes.Count([]byte(errs), []byte("\n")), "one line: %q", errs)
	}
}

// -expt onto a frame the sweep has just verified is refused.
func TestGatherExptNotAFrame(t *testing.T) {
	dir := t.TempDir()
	writeShards(t, dir, 1, 0)
	frame := filepath.Join(dir, "f_003.img")
	code, _, errs := gatherRun("-expt", frame, dir)
	assert.Equal(t, 2, code, errs)
	assert.Contains(t, errs, "-expt "+frame+": is the input of frame 3")
	b, err := os.ReadFile(frame)
	require.NoError(t, err)
	assert.Equal(t, "frame 3", string(b))
}
