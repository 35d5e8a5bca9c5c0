package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/internal/filetest"
	"gobragg/shard"
)

// shardSweep is a 16-frame sweep of 64x64 pixels (about 0.1 s a frame):
// shard 1 of 2 has 8 frames, so it is still running when the test kills it
// after its second frame.
func shardSweep(dir string) []string {
	return append(strings.Fields("sweep -cell 50 60 70 90 90 90 -default_F 100 -N 5 -detpixels 64 -pixel 0.4"+
		" -distance 60 -misset 10 20 30 -phisteps 2 -osc 0.5 -seed 3 -frames 16 -template"), filepath.Join(dir, "f_#####.img"))
}

// A shard killed (SIGKILL) in the middle of its run and run again finishes
// the dataset: every frame equal to a one-machine run's, none duplicated,
// no temporary file left, and gather says complete. Before the re-run,
// gather names the missing frames and exits 1.
func TestKilledShardRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 24 small frames in a subprocess")
	}
	ref := t.TempDir()
	mustRun(t, ref, shardSweep(ref)...)

	dir := t.TempDir()
	mustRun(t, dir, append(shardSweep(dir), "-shard", "0/2")...)
	cmd := gobraggCommand(t, dir, append(shardSweep(dir), "-shard", "auto/2")...)
	cmd.Env = append(cmd.Env, shard.SlurmIndexVar+"=1")
	require.NoError(t, cmd.Start())
	manifest := filepath.Join(dir, "f.shard-1-of-2.json")
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m, err := shard.ReadManifest(manifest); err == nil && len(m.Items) >= 2 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the shard rendered no frame in 60 s")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()

	res := runIn(t, dir, "gather", dir)
	require.Equal(t, 1, res.code, "gather of an unfinished dataset: %s", res.stdout)
	assert.Regexp(t, `gobragg gather: [0-9]+ missing frames: [0-9]+-16\n`, res.stderr)
	assert.Contains(t, res.stderr, "unfinished shards: f.shard-1-of-2.json")

	again := mustRun(t, dir, append(shardSweep(dir), "-shard", "1/2")...)
	assert.Contains(t, again.stdout, "frame 9: complete (f_00009.img), skipped")
	want, got := filetest.ReadGlob(t, filepath.Join(ref, "f_*.img")), filetest.ReadGlob(t, filepath.Join(dir, "f_*.img"))
	require.Len(t, want, 16)
	for name, b := range want {
		assert.True(t, bytes.Equal(b, got[name]), "%s differs from the one-machine run", name)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	assert.Empty(t, left, "temporary files left")
	res = mustRun(t, dir, "gather", dir)
	assert.Contains(t, res.stdout, "complete: every frame exactly once, 16 files verified")
}
