package shard

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/config"
	"gobragg/internal/filetest"
)

// validManifest runs shard 0/2 of fakeJob's 10-frame sweep (frames 1-5)
// in a temporary directory and returns the directory and the manifest's bytes.
func validManifest(t testing.TB) (string, []byte) {
	t.Helper()
	dir := t.TempDir()
	j := fakeJob(dir, Spec{0, 2}, nil)
	_, err := j.Run()
	require.NoError(t, err)
	b, err := os.ReadFile(j.ManifestPath())
	require.NoError(t, err)
	return dir, b
}

// editJSON decodes a manifest into generic JSON values, lets edit change
// them and encodes the result: a hand-edited manifest.
func editJSON(t testing.TB, b []byte, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&m))
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	return out
}

func items(m map[string]any) []any { return m["items"].([]any) }
func item(m map[string]any, k int) map[string]any {
	return items(m)[k].(map[string]any)
}
func file(m map[string]any, k int) map[string]any {
	return item(m, k)["files"].([]any)[0].(map[string]any)
}

// hostileManifests are hand edits of a valid manifest (shard 0/2 of
// frames 1-10 of "sweep -frames 10 -seed 7", frames 1-5 complete), each
// with what the refusal must say.
var hostileManifests = []struct {
	name string
	edit func(m map[string]any)
	want string
}{
	{"last far beyond the command line's frames", func(m map[string]any) { m["last"] = 2000000000 },
		"frames 1-2000000000, but its command line's -frames says 1-10"},
	{"a billion shards", func(m map[string]any) { m["shard"].(map[string]any)["count"] = 1000000000 },
		"shard 0/1000000000: want INDEX/COUNT with 0 <= INDEX < COUNT <= 1000000"},
	{"command line and dataset id edited to 2e9 frames", func(m map[string]any) {
		cmd := []string{"sweep", "-frames", "2000000000", "-seed", "7"}
		m["command"], m["dataset"], m["last"] = cmd, DatasetID(cmd), 2000000000
	}, `its command line's -frames: "2000000000" is not N or FIRST-LAST`},
	{"a block other than the shard's", func(m map[string]any) { m["shard"].(map[string]any)["hi"] = 1000000 },
		"shard 0/2's block is 1-5, but it says 1-1000000"},
	{"a frame outside the block", func(m map[string]any) { item(m, 4)["number"] = 9 },
		"frame 9 is outside the shard's block 1-5"},
	{"a frame listed twice", func(m map[string]any) { item(m, 1)["number"] = 1 },
		"frame 1 follows frame 1: each item is listed once"},
	{"two frames list the same file", func(m map[string]any) { file(m, 1)["path"] = "frame_00001.img" },
		`frames 1 and 2 both list the file "frame_00001.img"`},
	{"a frame with no file", func(m map[string]any) { item(m, 2)["files"] = []any{} },
		"frame 3 lists no file"},
	{"a path leading outside the folder", func(m map[string]any) { file(m, 0)["path"] = "../../etc/passwd" },
		`frame 1: file "../../etc/passwd" leads outside the manifest's folder`},
	{"an absolute path", func(m map[string]any) { file(m, 0)["path"] = "/etc/passwd" },
		`frame 1: file "/etc/passwd" leads outside the manifest's folder`},
	{"an unclean path", func(m map[string]any) { file(m, 0)["path"] = "./frame_00001.img" },
		`frame 1: file "./frame_00001.img" is not a clean relative path`},
	{"a name with a line break, twice", func(m map[string]any) { file(m, 0)["path"], file(m, 1)["path"] = "a\nb", "a\nb" },
		`frames 1 and 2 both list the file "a\nb"`}, // quoted: still one line
	{"a sha256 of two letters", func(m map[string]any) { file(m, 2)["sha256"] = "zz" },
		`frame 3: file "frame_00003.img": sha256 "zz" is not 64 lower-case hexadecimal digits`},
	{"a negative size", func(m map[string]any) { file(m, 0)["bytes"] = -1 },
		`file "frame_00001.img": size -1 bytes`},
	{"complete without its frames", func(m map[string]any) { m["items"] = items(m)[:2] },
		"says complete, but lists 2 of the 5 frames of its block"},
	{"a dataset id that is not the command's", func(m map[string]any) { m["dataset"] = "zz" },
		`dataset "zz" is not the sha256 of its command line`},
	{"a command of another kind", func(m map[string]any) { m["kind"] = "stills" },
		`unit "frame", but the items of a stills are shots`},
	{"an unknown kind", func(m map[string]any) { m["kind"] = "rm -rf" },
		`kind "rm -rf" is not sweep, stills or refine`},
	{"no range option", func(m map[string]any) {
		cmd := []string{"sweep", "-seed", "7"}
		m["command"], m["dataset"] = cmd, DatasetID(cmd)
	}, "its command line has no -frames"},
	{"a relative workdir", func(m map[string]any) { m["workdir"] = "../elsewhere" },
		`workdir "../elsewhere" is not an absolute path`},
	{"an unknown field", func(m map[string]any) { m["extra"] = 1 },
		`json: unknown field "extra"`},
	{"a count that does not fit an int", func(m map[string]any) { m["shard"].(map[string]any)["count"] = json.Number("1e999") },
		"cannot unmarshal number 1e999"},
}

// Each hand edit is refused with one line naming the manifest and what is
// wrong, as a usage error (exit status 2).
func TestDecodeManifestRefusesHostile(t *testing.T) {
	_, valid := validManifest(t)
	m, err := DecodeManifest(bytes.NewReader(valid), "f.json")
	require.NoError(t, err, "the unedited manifest")
	require.Len(t, m.Items, 5)
	for _, c := range hostileManifests {
		b := editJSON(t, valid, c.edit)
		_, err := DecodeManifest(bytes.NewReader(b), "run/f.shard-0-of-2.json")
		if !assert.Error(t, err, c.name) {
			continue
		}
		var u *config.UsageError
		assert.True(t, errors.As(err, &u), "%s: %T is not a usage error", c.name, err)
		assert.True(t, strings.HasPrefix(err.Error(), "manifest run/f.shard-0-of-2.json: "), "%s: %v", c.name, err)
		assert.Contains(t, err.Error(), c.want, c.name)
		assert.NotContains(t, err.Error(), "\n", "%s: one line", c.name)
	}
}

func TestDecodeManifestRefusesTrailingDataAndSize(t *testing.T) {
	_, valid := validManifest(t)
	_, err := DecodeManifest(bytes.NewReader(append(valid, []byte(`{"format": 1}`)...)), "m.json")
	assert.ErrorContains(t, err, "manifest m.json: more after the manifest's JSON object")
	huge := io.MultiReader(bytes.NewReader(valid), strings.NewReader(strings.Repeat(" ", MaxManifestBytes)))
	_, err = DecodeManifest(huge, "m.json")
	assert.ErrorContains(t, err, "manifest m.json: larger than 16777216 bytes")
}

// A manifest path that is a named pipe or a directory is refused at once,
// as a usage error, instead of blocking on the pipe.
func TestReadManifestNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.shard-0-of-1.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sub := filepath.Join(dir, "g.shard-0-of-1.json")
	require.NoError(t, os.Mkdir(sub, 0o755))
	for path, kind := range map[string]string{fifo: "a named pipe", sub: "a directory"} {
		done := make(chan error, 1)
		go func() { _, err := ReadManifest(path); done <- err }()
		select {
		case err := <-done:
			var u *config.UsageError
			assert.True(t, errors.As(err, &u), "%v", err)
			assert.ErrorContains(t, err, path+": not a regular file ("+kind+")")
		case <-time.After(10 * time.Second):
			t.Fatalf("ReadManifest(%s) blocked", kind)
		}
	}
}

// writeManifest writes b as the manifest name in dir.
func writeManifest(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
}

// Manifests that are each valid but contradict each other are refused by
// Open, naming the manifest.
func TestOpenRefusesContradictions(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string, m0 []byte)
		want  string
	}{
		{"two shards list one file for different frames", func(t *testing.T, dir string, m0 []byte) {
			_, err := fakeJob(dir, Spec{1, 2}, nil).Run()
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join(dir, "frame.shard-1-of-2.json"))
			require.NoError(t, err)
			writeManifest(t, dir, "frame.shard-1-of-2.json", editJSON(t, b, func(m map[string]any) { file(m, 0)["path"] = "frame_00001.img" }))
		}, `frame.shard-1-of-2.json: frame 6 lists the file "frame_00001.img", which another manifest lists for frame 1`},
		{"one frame, other files", func(t *testing.T, dir string, m0 []byte) {
			_, err := fakeJob(dir, Spec{0, 4}, nil).Run()
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join(dir, "frame.shard-0-of-4.json"))
			require.NoError(t, err)
			writeManifest(t, dir, "frame.shard-0-of-4.json", editJSON(t, b, func(m map[string]any) { file(m, 0)["path"] = "elsewhere.img" }))
		}, "frame.shard-0-of-4.json: frame 1's files differ from those frame.shard-0-of-2.json lists for it"},
		{"a manifest under another shard's name", func(t *testing.T, dir string, m0 []byte) {
			writeManifest(t, dir, "frame.shard-1-of-2.json", m0)
		}, "frame.shard-1-of-2.json: it says shard 0/2 of frame, whose manifest is frame.shard-0-of-2.json"},
		{"another dataset", func(t *testing.T, dir string, m0 []byte) {
			j := fakeJob(t.TempDir(), Spec{1, 2}, nil)
			j.Command = []string{"sweep", "-frames", "10", "-seed", "8"}
			_, err := j.Run()
			require.NoError(t, err)
			b, err := os.ReadFile(j.ManifestPath())
			require.NoError(t, err)
			writeManifest(t, dir, "frame.shard-1-of-2.json", b)
		}, `frame.shard-1-of-2.json: another dataset than frame.shard-0-of-2.json's ("sweep -frames 10 -seed 8", not "sweep -frames 10 -seed 7")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, m0 := validManifest(t)
			c.setup(t, dir, m0)
			_, err := Open(dir)
			var u *config.UsageError
			require.True(t, errors.As(err, &u), "%v", err)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

// Coverage grows with the items listed, not with the numbers claimed: the
// largest dataset (MaxItems frames) over the most shards (MaxCount) with
// one shard done gives one run of missing frames and one of absent shards.
func TestCheckIsCompact(t *testing.T) {
	dir := t.TempDir()
	j := fakeJob(dir, Spec{0, MaxCount}, nil)
	j.Command = []string{"sweep", "-frames", "16777216", "-seed", "7"}
	j.Last = MaxItems
	_, err := j.Run()
	require.NoError(t, err)
	d, err := Open(dir)
	require.NoError(t, err)
	c := d.Check(false)
	assert.Equal(t, []Span{{18, MaxItems}}, c.Missing, "shard 0 has frames 1-17")
	assert.Equal(t, MaxItems-17, Len(c.Missing))
	assert.Equal(t, []string{"1/1000000-999999/1000000"}, c.Absent)
}

// A shard refuses, before writing anything, an output that exists and is
// not a regular file: it would read back and hash it, and a named pipe
// blocks that read forever.
func TestJobRefusesNonRegularOutput(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "frame_00003.img"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var rendered []int
	done := make(chan error, 1)
	go func() { _, err := fakeJob(dir, Spec{0, 1}, &rendered).Run(); done <- err }()
	select {
	case err := <-done:
		var u *config.UsageError
		require.True(t, errors.As(err, &u), "%v", err)
		assert.ErrorContains(t, err, "frame 3: "+filepath.Join(dir, "frame_00003.img")+" exists and is a named pipe, not a regular file")
	case <-time.After(10 * time.Second):
		t.Fatal("the shard blocked on the named pipe")
	}
	assert.Empty(t, rendered, "nothing rendered")
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	assert.Len(t, names, 1, "only the pipe: %v", names)
}

// A shard refuses an output outside its manifest's folder: gather checks
// that folder alone.
func TestJobRefusesOutputOutsideFolder(t *testing.T) {
	dir := t.TempDir()
	frames := filepath.Join(dir, "frames")
	j := fakeJob(frames, Spec{0, 1}, nil)
	outputs := j.Outputs
	j.Outputs = func(n int) []string { return append(outputs(n), filepath.Join(dir, "floats", "f.bin")) }
	_, err := j.Run()
	var u *config.UsageError
	require.True(t, errors.As(err, &u), "%v", err)
	assert.ErrorContains(t, err, "frame 1: output "+filepath.Join(dir, "floats", "f.bin")+" is outside "+frames)
	assert.NoDirExists(t, frames, "nothing written")
}

// A shard of another command line is refused in a folder that holds a
// dataset, whatever its shard spec, and changes nothing.
func TestJobRefusesOtherDatasetInFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := fakeJob(dir, Spec{0, 1}, nil).Run()
	require.NoError(t, err)
	before := filetest.ReadGlob(t, filepath.Join(dir, "*"))
	var rendered []int
	j := fakeJob(dir, Spec{1, 2}, &rendered)
	j.Command = []string{"sweep", "-frames", "10", "-seed", "8"}
	_, err = j.Run()
	var u *config.UsageError
	require.True(t, errors.As(err, &u), "%v", err)
	assert.ErrorContains(t, err, dir+`: frame.shard-0-of-1.json is the manifest of another command line ("sweep -frames 10 -seed 7"): a different command line in the same folder is refused`)
	assert.Empty(t, rendered)
	assert.Equal(t, before, filetest.ReadGlob(t, filepath.Join(dir, "*")), "the folder is unchanged")
}

// A shard refuses its own earlier manifest, which it would reuse, when it
// cannot be trusted (here hand-edited), and a folder holding a manifest
// whose header is not a manifest's.
func TestJobRefusesHostileManifestInFolder(t *testing.T) {
	dir, m0 := validManifest(t)
	writeManifest(t, dir, "frame.shard-0-of-2.json", editJSON(t, m0, func(m map[string]any) { file(m, 0)["sha256"] = "zz" }))
	var rendered []int
	_, err := fakeJob(dir, Spec{0, 2}, &rendered).Run()
	assert.ErrorContains(t, err, `frame.shard-0-of-2.json: frame 1: file "frame_00001.img": sha256 "zz"`)

	writeManifest(t, dir, "frame.shard-0-of-2.json", editJSON(t, m0, func(m map[string]any) { m["dataset"] = "zz" }))
	_, err = fakeJob(dir, Spec{1, 2}, &rendered).Run()
	assert.ErrorContains(t, err, `frame.shard-0-of-2.json: dataset "zz" is not the sha256 of its command line`)
	assert.Empty(t, rendered)
	assert.NoFileExists(t, filepath.Join(dir, "frame.shard-1-of-2.json"))
}

// Verify names a short recorded sha256 without slicing past its end (the
// decoder refuses one, but Item is a public type).
func TestVerifyShortSHA(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a"), []byte("x"), 0o644))
	err := Item{Number: 1, Files: []File{{Path: "a", Bytes: 1, SHA256: "zz"}}}.Verify(dir)
	assert.ErrorContains(t, err, "manifest says zz")
}
