package shard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/imageio"
	"gobragg/internal/filetest"
)

// fakeJob renders item n as a file whose content depends only on n, as a
// sweep frame depends only on its number; rendered counts the renders.
func fakeJob(dir string, s Spec, rendered *[]int) *Job {
	out := func(n int) string { return filepath.Join(dir, fmt.Sprintf("frame_%05d.img", n)) }
	return &Job{
		Kind: "sweep", Unit: "frame", Command: []string{"sweep", "-frames", "10", "-seed", "7"},
		First: 1, Last: 10, Shard: s, Dir: dir, Name: "frame",
		Outputs: func(n int) []string { return []string{out(n)} },
		Render: func(n int) (map[string]int64, error) {
			if rendered != nil {
				*rendered = append(*rendered, n)
			}
			return map[string]int64{"-seed": int64(1000 + n)}, imageio.WriteFileAtomic(out(n), func(w io.Writer) error {
				_, err := w.Write(bytes.Repeat([]byte{byte(n)}, 100+n))
				return err
			})
		},
	}
}

// Shards run in any order write the same files as one shard, and their
// manifests cover the dataset once.
func TestShardsEqualOneRun(t *testing.T) {
	one := t.TempDir()
	_, err := fakeJob(one, Spec{0, 1}, nil).Run()
	require.NoError(t, err)
	many := t.TempDir()
	for _, i := range []int{2, 0, 3, 1} {
		m, err := fakeJob(many, Spec{i, 4}, nil).Run()
		require.NoError(t, err)
		assert.True(t, m.Complete)
	}
	assert.Equal(t, filetest.ReadGlob(t, filepath.Join(one, "frame_*.img")), filetest.ReadGlob(t, filepath.Join(many, "frame_*.img")))
	d, err := Open(many)
	require.NoError(t, err)
	c := d.Check(true)
	assert.True(t, c.OK(), "%+v", c)
	assert.Empty(t, c.Unfinished)
	assert.Empty(t, c.Absent)
	assert.Equal(t, map[string]int64{"-seed": 1005}, d.Manifests[d.Items[5][0]].Items[1].Seeds, "frame 5's seed is recorded")
}

// A re-run skips complete items and redoes one whose file was damaged.
func TestRerunSkipsCompleteItems(t *testing.T) {
	dir := t.TempDir()
	var first, second []int
	_, err := fakeJob(dir, Spec{1, 2}, &first).Run()
	require.NoError(t, err)
	assert.Equal(t, []int{6, 7, 8, 9, 10}, first)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "frame_00008.img"), []byte("damaged"), 0o644))
	var log bytes.Buffer
	j := fakeJob(dir, Spec{1, 2}, &second)
	j.Log = &log
	_, err = j.Run()
	require.NoError(t, err)
	assert.Equal(t, []int{8}, second, "only the damaged frame is rendered again")
	assert.Contains(t, log.String(), "frame 6: complete (frame_00006.img), skipped")
}

// A manifest of another dataset in the directory is refused, not overwritten.
func TestRefusesOtherDataset(t *testing.T) {
	dir := t.TempDir()
	_, err := fakeJob(dir, Spec{0, 2}, nil).Run()
	require.NoError(t, err)
	j := fakeJob(dir, Spec{0, 2}, nil)
	j.Command = []string{"sweep", "-frames", "10", "-seed", "8"}
	_, err = j.Run()
	require.ErrorContains(t, err, "is the manifest of another command line")
}

// A failing render leaves a manifest of exactly the items done before it;
// the next run finishes the block.
func TestFailedRunResumes(t *testing.T) {
	dir := t.TempDir()
	j := fakeJob(dir, Spec{0, 1}, nil)
	render := j.Render
	j.Render = func(n int) (map[string]int64, error) {
		if n == 4 {
			// A killed writer leaves its temporary file behind.
			require.NoError(t, os.WriteFile(filepath.Join(dir, ".frame_00004.img.tmp-123"), []byte{1, 2}, 0o644))
			return nil, errors.New("killed")
		}
		return render(n)
	}
	_, err := j.Run()
	require.Error(t, err)
	m, err := ReadManifest(j.ManifestPath())
	require.NoError(t, err)
	assert.False(t, m.Complete)
	assert.Len(t, m.Items, 3)

	var rerun []int
	_, err = fakeJob(dir, Spec{0, 1}, &rerun).Run()
	require.NoError(t, err)
	assert.Equal(t, []int{4, 5, 6, 7, 8, 9, 10}, rerun)
	assert.NoFileExists(t, filepath.Join(dir, ".frame_00004.img.tmp-123"))
}

func TestGatherNamesMissingAndDuplicated(t *testing.T) {
	dir := t.TempDir()
	for _, i := range []int{0, 2} {
		_, err := fakeJob(dir, Spec{i, 4}, nil).Run()
		require.NoError(t, err)
	}
	// A run with another shard count in the same directory repeats frames.
	_, err := fakeJob(dir, Spec{0, 5}, nil).Run()
	require.NoError(t, err)
	d, err := Open(dir)
	require.NoError(t, err)
	c := d.Check(true)
	assert.False(t, c.OK())
	assert.Equal(t, "4-6, 9-10", FormatSpans(c.Missing))
	assert.Equal(t, []string{"frame.shard-0-of-4.json", "frame.shard-0-of-5.json"}, c.Duplicated[1])
	assert.Equal(t, []string{"1/4", "3/4", "1/5-4/5"}, c.Absent)
}

func TestGatherFindsCorruptFile(t *testing.T) {
	dir := t.TempDir()
	_, err := fakeJob(dir, Spec{0, 1}, nil).Run()
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, "frame_00003.img")))
	d, err := Open(dir)
	require.NoError(t, err)
	c := d.Check(true)
	require.Len(t, c.Corrupt, 1)
	assert.Contains(t, c.Corrupt[0], "frame 3:")
	assert.True(t, d.Check(false).OK(), "without verify only coverage is checked")
}

// TestKilledProcess kills a real shard process (SIGKILL, no clean-up) in
// the middle of a run and re-runs it: every frame ends complete and equal
// to a clean run's, and no temporary file is left.
func TestKilledProcess(t *testing.T) {
	if os.Getenv("SHARD_HELPER_DIR") != "" {
		return
	}
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	clean := t.TempDir()
	_, err := fakeJob(clean, Spec{0, 1}, nil).Run()
	require.NoError(t, err)

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledHelper$")
	cmd.Env = append(os.Environ(), "SHARD_HELPER_DIR="+dir)
	require.NoError(t, cmd.Start())
	manifest := filepath.Join(dir, "frame.shard-0-of-1.json")
	deadline := time.Now().Add(20 * time.Second)
	for {
		// Kill while a frame is half written (its temporary file exists).
		tmp, _ := filepath.Glob(filepath.Join(dir, ".frame_*.tmp-*"))
		if m, err := ReadManifest(manifest); err == nil && len(m.Items) >= 3 && len(tmp) > 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "helper made no progress")
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	m, err := ReadManifest(manifest)
	require.NoError(t, err)
	require.False(t, m.Complete, "killed before the end")

	_, err = fakeJob(dir, Spec{0, 1}, nil).Run()
	require.NoError(t, err)
	assert.Equal(t, filetest.ReadGlob(t, filepath.Join(clean, "frame_*.img")), filetest.ReadGlob(t, filepath.Join(dir, "frame_*.img")))
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	assert.Empty(t, left, "no temporary file left")
	d, err := Open(dir)
	require.NoError(t, err)
	assert.True(t, d.Check(true).OK())
}

// TestKilledHelper is the shard process TestKilledProcess kills: it
// renders slowly, with a temporary file open while it sleeps.
func TestKilledHelper(t *testing.T) {
	dir := os.Getenv("SHARD_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process of TestKilledProcess")
	}
	j := fakeJob(dir, Spec{0, 1}, nil)
	j.Render = func(n int) (map[string]int64, error) {
		out := filepath.Join(dir, fmt.Sprintf("frame_%05d.img", n))
		return nil, imageio.WriteFileAtomic(out, func(w io.Writer) error {
			w.Write(bytes.Repeat([]byte{byte(n)}, 50))
			time.Sleep(30 * time.Millisecond) // half a frame written when killed
			_, err := w.Write(bytes.Repeat([]byte{byte(n)}, 50+n))
			return err
		})
	}
	_, err := j.Run()
	require.NoError(t, err)

}

// With more shards than items, a shard with nothing to do still leaves a
// complete, empty manifest, and the others cover the dataset.
func TestMoreShardsThanItems(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 13; i++ {
		m, err := fakeJob(dir, Spec{i, 13}, nil).Run()
		require.NoError(t, err)
		assert.True(t, m.Complete)
		if i >= 10 {
			assert.Empty(t, m.Items, "shard %d of 13 over 10 frames", i)
			assert.Greater(t, m.Shard.Lo, m.Shard.Hi)
		}
	}
	d, err := Open(dir)
	require.NoError(t, err)
	c := d.Check(true)
	assert.True(t, c.OK())
	assert.Empty(t, c.Absent)
}

// With KeepGoing a failed item does not stop the block; the run reports it
// and the manifest lists the others.
func TestKeepGoing(t *testing.T) {
	dir := t.TempDir()
	j := fakeJob(dir, Spec{0, 1}, nil)
	j.KeepGoing = true
	render := j.Render
	j.Render = func(n int) (map[string]int64, error) {
		if n == 3 || n == 4 || n == 8 {
			return nil, errors.New("no convergence")
		}
		return render(n)
	}
	var log bytes.Buffer
	j.Log = &log
	m, err := j.Run()
	require.ErrorContains(t, err, "3 frames of shard 0/1 failed: 3-4, 8")
	assert.Contains(t, log.String(), "frame 8: failed: no convergence")
	assert.Len(t, m.Items, 7)
	assert.False(t, m.Complete)
}
