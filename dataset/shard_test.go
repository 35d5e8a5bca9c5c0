package dataset

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/internal/filetest"
	"gobragg/shard"
)

// Shards of a sweep, rendered separately in any order with their index
// from Slurm's or Kubernetes' variable, write the bytes of a one-machine
// run, and their manifests cover the sweep once.
func TestShardsEqualOneMachineRun(t *testing.T) {
	dir := t.TempDir()
	sweep := func(sub string, extra ...string) []string {
		return append(append(strings.Fields(tinySweep), "-frames", "7", "-osc", "0.5", "-seed", "11",
			"-template", filepath.Join(dir, sub, "f_###.img"), "-float_template", filepath.Join(dir, sub, "f_###.bin")), extra...)
	}
	var errs bytes.Buffer
	require.Equal(t, 0, SweepMain(sweep("one"), io.Discard, &errs), errs.String())
	for k, i := range []string{"2", "0", "1"} {
		t.Setenv(shard.SlurmIndexVar, "")
		t.Setenv(shard.KubernetesIndexVar, "")
		t.Setenv([]string{shard.SlurmIndexVar, shard.KubernetesIndexVar}[k%2], i)
		require.Equal(t, 0, SweepMain(sweep("shards", "-shard", "auto/3"), io.Discard, &errs), errs.String())
	}
	one, shards := filetest.ReadGlob(t, filepath.Join(dir, "one", "f_*")), filetest.ReadGlob(t, filepath.Join(dir, "shards", "f_*"))
	require.Len(t, one, 14, "7 noise frames and 7 float frames")
	for name, want := range one {
		assert.True(t, bytes.Equal(want, shards[name]), "%s differs between the shards and the one-machine run", name)
	}
	d, err := shard.Open(filepath.Join(dir, "shards"))
	require.NoError(t, err)
	assert.True(t, d.Check(true).OK())
	m := d.Manifests[d.Items[4][0]]
	assert.Equal(t, "f.shard-1-of-3.json", filepath.Base(d.Paths[d.Items[4][0]]))
	assert.Equal(t, [2]int{4, 5}, [2]int{m.Shard.Lo, m.Shard.Hi}, "7 frames in blocks of 3, 2, 2")
	assert.Equal(t, map[string]int64{"-seed": FrameSeed(11, 4)}, m.Items[0].Seeds)
	assert.Equal(t, []string{"f_004.img", "f_004.bin"}, []string{m.Items[0].Files[0].Path, m.Items[0].Files[1].Path})
}

// The same for still shots: shards in any order write the one-machine
// run's shots (orientation and noise from each shot's own seeds).
func TestStillsShardsEqualOneMachineRun(t *testing.T) {
	dir := t.TempDir()
	stills := func(sub string, extra ...string) []string {
		return append(append(strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 5 -detpixels 48 -pixel 0.4 -distance 60"),
			"-n", "5", "-seed", "3", "-template", filepath.Join(dir, sub, "f_##.cbf")), extra...)
	}
	var errs bytes.Buffer
	require.Equal(t, 0, StillsMain(stills("one"), io.Discard, &errs), errs.String())
	for _, i := range []string{"1/2", "0/2"} {
		require.Equal(t, 0, StillsMain(stills("shards", "-shard", i), io.Discard, &errs), errs.String())
	}
	one, shards := filetest.ReadGlob(t, filepath.Join(dir, "one", "f_*")), filetest.ReadGlob(t, filepath.Join(dir, "shards", "f_*"))
	require.Len(t, one, 5)
	for name, want := range one {
		assert.True(t, bytes.Equal(want, shards[name]), "%s differs between the shards and the one-machine run", name)
	}
	d, err := shard.Open(filepath.Join(dir, "shards"))
	require.NoError(t, err)
	assert.True(t, d.Check(true).OK())
	m := d.First()
	assert.Equal(t, "stills", m.Kind)
	assert.Equal(t, map[string]int64{"-seed": FrameSeed(3, 1), "-misset_seed": OrientationSeed(3, 1)}, m.Items[0].Seeds)
}

func TestShardBadInput(t *testing.T) {
	t.Setenv(shard.SlurmIndexVar, "")
	t.Setenv(shard.KubernetesIndexVar, "")
	dir := t.TempDir()
	base := append(strings.Fields(tinySweep), "-frames", "4", "-osc", "0.5", "-template", filepath.Join(dir, "f_###.img"))
	for _, c := range []struct{ shard, msg string }{
		{"auto/2", "neither is set"},
		{"2/2", "outside 0..1"},
		{"1", "want INDEX/COUNT"},
		{"0/2", "a sharded sweep needs -seed N"}, // base has no -seed: each shard would take its own clock seed
	} {
		var errs bytes.Buffer
		code := SweepMain(append(append([]string(nil), base...), "-shard", c.shard), io.Discard, &errs)
		assert.Equal(t, 2, code, c.shard)
		assert.Contains(t, errs.String(), c.msg, c.shard)
		assert.Equal(t, 1, strings.Count(errs.String(), "\n"), "one line: %q", errs.String())
	}
	var errs bytes.Buffer
	assert.Equal(t, 2, SweepMain(append(base, "-shard"), io.Discard, &errs))
	assert.Contains(t, errs.String(), "-shard: missing value")
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "nothing written")
}

func TestTemplateStem(t *testing.T) {
	for path, want := range map[string]string{"out/lyso_#####.img": "lyso", "out/#####.img": "frames", "a-###.cbf": "a", "x/run.2_###.img": "run.2"} {
		tp, err := ParseTemplate(path)
		require.NoError(t, err)
		assert.Equal(t, want, tp.Stem("frames"), path)
	}
}
