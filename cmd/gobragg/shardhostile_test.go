//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyShards is the simulation of the sharded data sets below: 16x16
// pixels, so that every frame renders in a moment.
const tinyShards = "-cell 100 100 100 90 90 90 -default_F 100 -N 3 -lambda 1 -distance 100 -pixel 0.4 -detpixels 16 -oversample 1 -seed 1"

// tinySweep is `gobragg sweep` of frames (N or FIRST-LAST) with template
// and the extra options.
func tinySweep(template, frames string, extra ...string) []string {
	args := append([]string{"sweep"}, strings.Fields(tinyShards)...)
	return append(append(args, "-osc", "0.5", "-frames", frames, "-template", template), extra...)
}

// A frame path of a shard that exists and is a named pipe is refused
// before any work; it used to be written (the pipe's reader took it), then
// opened again to be hashed, which blocked forever.
func TestShardFrameIsNamedPipe(t *testing.T) {
	for _, args := range [][]string{
		tinySweep("out/f_###.img", "2", "-shard", "0/1"),
		append(append([]string{"stills"}, strings.Fields(tinyShards)...), "-n", "2", "-template", "out/f_###.img", "-shard", "0/1"),
	} {
		dir := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(dir, "out"), 0o755))
		require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "out", "f_001.img"), 0o644))
		expectRefused(t, dir, "1: out/f_001.img exists and is a named pipe, not a regular file", args...)
	}
}

// editManifest rewrites a manifest's JSON through edit, as a hand edit would.
func editManifest(t *testing.T, path string, edit func(m map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&m))
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
}

// manifestFile is file k of item i of a manifest decoded by editManifest.
func manifestFile(m map[string]any, i int) map[string]any {
	return m["items"].([]any)[i].(map[string]any)["files"].([]any)[0].(map[string]any)
}

// cpR copies the folder src to dst with cp -r, as a user would.
func cpR(t *testing.T, src, dst string) {
	t.Helper()
	out, err := exec.Command("cp", "-r", src, dst).CombinedOutput()
	require.NoError(t, err, "cp -r: %s", out)
}

// gather refuses hand-edited manifests of a real 2-shard sweep of 8 frames
// (shard 1/2 has frames 5-8) with one line naming the manifest and what is
// wrong, exit status 2, without allocating by the sizes they claim,
// panicking, blocking, or touching a file.
func TestGatherRefusesHostileManifests(t *testing.T) {
	src := t.TempDir()
	for _, s := range []string{"0/2", "1/2"} {
		mustRun(t, src, tinySweep("run/f_###.img", "8", "-shard", s)...)
	}
	const shard1 = "run/f.shard-1-of-2.json"
	for _, c := range []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"last 2e9 while the others say 8", func(m map[string]any) { m["last"] = 2000000000 },
			"manifest " + shard1 + ": frames 1-2000000000, but its command line's -frames says 1-8"},
		{"a billion shards", func(m map[string]any) { m["shard"].(map[string]any)["count"] = 1000000000 },
			"manifest " + shard1 + ": shard 1/1000000000: want INDEX/COUNT with 0 <= INDEX < COUNT <= 1000000"},
		{"two frames list the same file", func(m map[string]any) { manifestFile(m, 1)["path"] = "f_005.img" },
			"manifest " + shard1 + `: frames 5 and 6 both list the file "f_005.img"`},
		{"a frame lists another shard's file", func(m map[string]any) { manifestFile(m, 0)["path"] = "f_001.img" },
			"manifest " + shard1 + `: frame 5 lists the file "f_001.img", which another manifest lists for frame 1`},
		{"a frame with no file", func(m map[string]any) {
			m["items"].([]any)[1].(map[string]any)["files"] = []any{}
		}, "manifest " + shard1 + ": frame 6 lists no file"},
		{"a path leading outside the folder", func(m map[string]any) { manifestFile(m, 0)["path"] = "../../etc/passwd" },
			"manifest " + shard1 + `: frame 5: file "../../etc/passwd" leads outside the manifest's folder`},
		{"a sha256 of zz", func(m map[string]any) { manifestFile(m, 2)["sha256"] = "zz" },
			"manifest " + shard1 + `: frame 7: file "f_007.img": sha256 "zz" is not 64 lower-case hexadecimal digits`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cpR(t, filepath.Join(src, "run"), filepath.Join(dir, "run"))
			editManifest(t, filepath.Join(dir, shard1), c.edit)
			expectRefused(t, dir, c.want, "gather", "run")
		})
	}
	t.Run("a manifest that is a named pipe", func(t *testing.T) {
		dir := t.TempDir()
		cpR(t, filepath.Join(src, "run"), filepath.Join(dir, "run"))
		require.NoError(t, os.Remove(filepath.Join(dir, shard1)))
		require.NoError(t, syscall.Mkfifo(filepath.Join(dir, shard1), 0o644))
		expectRefused(t, dir, shard1+": not a regular file (a named pipe)", "gather", "run")
	})
}

// gather of a copy of a sharded sweep's folder verifies and writes inside
// the copy: the original folder is untouched, and the copy's experiment
// list (the command's -expt, at its place in the copy) names the copy's
// frames.
func TestGatherCopiedFolder(t *testing.T) {
	dir := t.TempDir()
	for _, s := range []string{"0/2", "1/2"} {
		mustRun(t, dir, tinySweep("run/f_###.img", "4", "-shard", s, "-expt", "run/sweep.expt")...)
	}
	cpR(t, filepath.Join(dir, "run"), filepath.Join(dir, "copy"))
	original := dirState(t, filepath.Join(dir, "run"))
	res := mustRun(t, dir, "gather", "copy")
	assert.Contains(t, res.stdout, "copy: sweep of 4 frames (1-4), 2 manifests")
	assert.Contains(t, res.stdout, "wrote copy/sweep.expt (DIALS experiment list of frames 1-4)")
	assert.Empty(t, diffState(original, dirState(t, filepath.Join(dir, "run"))), "gather of the copy changed the original folder")

	b, err := os.ReadFile(filepath.Join(dir, "copy", "sweep.expt"))
	require.NoError(t, err)
	var list struct {
		ImageSet []struct{ Template string } `json:"imageset"`
	}
	require.NoError(t, json.Unmarshal(b, &list))
	require.Len(t, list.ImageSet, 1)
	template := list.ImageSet[0].Template
	assert.Equal(t, "f_###.img", filepath.Base(template))
	framesDir, err := os.Stat(filepath.Dir(template))
	require.NoError(t, err)
	copyDir, err := os.Stat(filepath.Join(dir, "copy"))
	require.NoError(t, err)
	assert.True(t, os.SameFile(framesDir, copyDir), "the copy's list names the frames in %s, not the copy", filepath.Dir(template))
}

// A shard of another command line is refused in a folder that holds a
// complete sharded sweep, whatever its shard spec and whether it is a
// sweep, stills or a refinement writing its results there: one line
// naming the folder and the sweep's manifest, exit status 2, no frame
// overwritten.
func TestShardRefusesOtherCommandLine(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, tinySweep("out/f_###.img", "8", "-shard", "0/1")...)
	want := `out: f.shard-0-of-1.json is the manifest of another command line ("sweep -cell 100`
	expectRefused(t, dir, want, tinySweep("out/f_###.img", "8", "-shard", "1/2", "-N", "11")...)
	expectRefused(t, dir, want, append(append([]string{"stills"}, strings.Fields(tinyShards)...),
		"-n", "4", "-template", "out/f_###.img", "-shard", "0/2")...)
	expectRefused(t, dir, want, append([]string{"refine", "-shard", "0/2", "-shots", "8", "-data", "out/f_###.img",
		"-out", "out/r_###.json", "-refine", "scale"}, strings.Fields(tinyShards)...)...)
}
