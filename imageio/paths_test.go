package imageio

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "frame.img")
	require.NoError(t, os.WriteFile(data, []byte("x"), 0o644))
	link := filepath.Join(dir, "link.img")
	require.NoError(t, os.Symlink(data, link))
	hard := filepath.Join(dir, "hard.img")
	require.NoError(t, os.Link(data, hard))
	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	subLink := filepath.Join(dir, "sublink")
	require.NoError(t, os.Symlink(sub, subLink))
	in := []NamedPath{{Option: "-data", Path: data}}
	for _, c := range []struct {
		name string
		outs []NamedPath
		want string // "" for no error
	}{
		{"distinct", []NamedPath{{Option: "-out", Path: filepath.Join(dir, "r.json")}, {Option: "-png", Path: filepath.Join(dir, "r.png")}}, ""},
		{"the input", []NamedPath{{Option: "-out", Path: data}}, "-out " + data + ": is the input of -data"},
		{"a symbolic link to it", []NamedPath{{Option: "-out", Path: link}}, "is the input of -data"},
		{"a hard link to it", []NamedPath{{Option: "-png", Path: hard}}, "is the input of -data"},
		{"relative", []NamedPath{{Option: "-out", Path: filepath.Join(dir, "sub", "..", "frame.img")}}, "is the input of -data"},
		{"two outputs", []NamedPath{{Option: "-out", Path: filepath.Join(sub, "a")}, {Option: "-png", Path: filepath.Join(subLink, "a")}}, "is the output of -out"},
		{"devices are written in place", []NamedPath{{Option: "-out", Path: os.DevNull}, {Option: "-png", Path: os.DevNull}}, ""},
		{"empty paths", []NamedPath{{Option: "-out", Path: ""}, {Option: "-png", Path: ""}}, ""},
	} {
		err := CheckOutputs(in, c.outs)
		if c.want == "" {
			assert.NoError(t, err, c.name)
			continue
		}
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	ro := filepath.Join(dir, "ro")
	require.NoError(t, os.WriteFile(ro, []byte("x"), 0o444))
	dangling := filepath.Join(dir, "dangling")
	require.NoError(t, os.Symlink(filepath.Join(dir, "nodir", "target"), dangling))
	for _, c := range []struct {
		name string
		out  NamedPath
		want string // "" for no error
	}{
		{"a new file", NamedPath{Option: "-out", Path: filepath.Join(dir, "new")}, ""},
		{"an existing file", NamedPath{Option: "-out", Path: file}, ""},
		{"a device", NamedPath{Option: "-out", Path: os.DevNull}, ""},
		{"no such directory", NamedPath{Option: "-out", Path: filepath.Join(dir, "nodir", "fit.json")},
			"-out " + filepath.Join(dir, "nodir", "fit.json") + ": directory " + filepath.Join(dir, "nodir") + " does not exist"},
		{"a file in the way", NamedPath{Option: "-png", Path: filepath.Join(file, "sub", "fit.png")}, file + " is not a directory"},
		{"a directory", NamedPath{Option: "-out", Path: dir}, "is a directory; give a file name"},
		{"a read-only file", NamedPath{Option: "-out", Path: ro}, "file is read-only"},
		{"a dangling link into no directory", NamedPath{Option: "-out", Path: dangling}, "does not exist"},
		{"directories the command makes", NamedPath{Option: "-template", Path: filepath.Join(dir, "a", "b", "f_1.img"), MakeDirs: true}, ""},
		{"directories the command cannot make", NamedPath{Option: "-template", Path: filepath.Join(file, "b", "f_1.img"), MakeDirs: true}, file + " is not a directory"},
	} {
		err := CheckWritable([]NamedPath{c.out})
		if c.want == "" {
			assert.NoError(t, err, c.name)
		} else if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
	if os.Geteuid() != 0 { // root may create files in any directory
		locked := filepath.Join(dir, "locked")
		require.NoError(t, os.Mkdir(locked, 0o555))
		err := CheckWritable([]NamedPath{{Option: "-out", Path: filepath.Join(locked, "f")}})
		assert.ErrorContains(t, err, "cannot create files in directory "+locked)
	}
}

// TestWriteErrorsNameNoTemporaryFile: a failed write names the file the
// caller gave, never the temporary one it was writing.
func TestWriteErrorsNameNoTemporaryFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodir", "f.bin")
	err := WriteFileAtomic(path, func(w io.Writer) error { return nil })
	require.Error(t, err)
	assert.Equal(t, "write "+path+": no such file or directory", err.Error())
}
