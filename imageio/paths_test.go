package imageio

import (
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
	in := []NamedPath{{"-data", data}}
	for _, c := range []struct {
		name string
		outs []NamedPath
		want string // "" for no error
	}{
		{"distinct", []NamedPath{{"-out", filepath.Join(dir, "r.json")}, {"-png", filepath.Join(dir, "r.png")}}, ""},
		{"the input", []NamedPath{{"-out", data}}, "-out " + data + ": is the input of -data"},
		{"a symbolic link to it", []NamedPath{{"-out", link}}, "is the input of -data"},
		{"a hard link to it", []NamedPath{{"-png", hard}}, "is the input of -data"},
		{"relative", []NamedPath{{"-out", filepath.Join(dir, "sub", "..", "frame.img")}}, "is the input of -data"},
		{"two outputs", []NamedPath{{"-out", filepath.Join(sub, "a")}, {"-png", filepath.Join(subLink, "a")}}, "is the output of -out"},
		{"devices are written in place", []NamedPath{{"-out", os.DevNull}, {"-png", os.DevNull}}, ""},
		{"empty paths", []NamedPath{{"-out", ""}, {"-png", ""}}, ""},
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
