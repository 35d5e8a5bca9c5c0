package imageio

import (
	"os"
	"path/filepath"
	"testing"
)

// TemporaryTarget recognises the names the atomic writer gives its
// temporary files, and nothing else.
func TestTemporaryTarget(t *testing.T) {
	for _, c := range []struct {
		name, base string
		ok         bool
	}{
		{".frame_00001.img.tmp-123", "frame_00001.img", true},
		{".a.tmp-b.tmp-9", "a.tmp-b", true},
		{"frame_00001.img.tmp-123", "", false}, // no leading dot
		{".tmp-123", "", false},                // no base name
		{".frame_00001.img", "", false},
		{"frame_00001.img", "", false},
	} {
		base, ok := TemporaryTarget(c.name)
		if base != c.base || ok != c.ok {
			t.Errorf("TemporaryTarget(%q) = %q, %v; want %q, %v", c.name, base, ok, c.base, c.ok)
		}
	}
	// A name made with the writer's own pattern.
	f, err := os.CreateTemp(t.TempDir(), ".frame_00001.img"+tempSuffix+"*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if base, ok := TemporaryTarget(filepath.Base(f.Name())); !ok || base != "frame_00001.img" {
		t.Errorf("the writer's own pattern %q is not recognised (%q, %v)", f.Name(), base, ok)
	}
}
