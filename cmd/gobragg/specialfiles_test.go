//go:build linux

package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallRun renders a 16x16 detector in a moment.
var smallRun = strings.Fields(`-cell 100 100 100 90 90 90 -default_F 100 -N 3 -lambda 1 -distance 100
	-pixel 0.4 -detpixels 16 -oversample 1 -seed 1 -noprogress`)

// TestOutputsOntoSpecialFiles points gobragg's outputs at a device node, a
// full device, a symbolic link and a read-only file that the test makes in
// a temporary directory: devices are written in place and stay devices,
// a link's target is written, and a full device or a read-only file fails
// with one line naming it, leaving no temporary file and no other output.
func TestOutputsOntoSpecialFiles(t *testing.T) {
	mknod := func(t *testing.T, path string, minor int) {
		if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, 1<<8|minor); err != nil {
			t.Skipf("mknod: %v (needs root): skipping", err)
		}
	}
	isDevice := func(path string) bool {
		st, err := os.Lstat(path)
		return err == nil && st.Mode().Type()&fs.ModeCharDevice != 0
	}
	t.Run("floatfile on a null device", func(t *testing.T) {
		dir := t.TempDir()
		mknod(t, filepath.Join(dir, "null"), 3)
		mustRun(t, dir, append(smallRun, "-floatfile", "null")...)
		if !isDevice(filepath.Join(dir, "null")) {
			t.Error("the device was replaced")
		}
		if !hasFile(t, dir, "intimage.img") || hasTemporary(t, dir) {
			t.Errorf("directory holds %v", listDir(t, dir))
		}
	})
	t.Run("floatfile on a full device", func(t *testing.T) {
		dir := t.TempDir()
		mknod(t, filepath.Join(dir, "full"), 7)
		r := runIn(t, dir, append(smallRun, "-floatfile", "full")...)
		if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "full: no space left on device") {
			t.Errorf("exit %d, stderr %q; want 1 and one line saying no space left on device", r.code, r.stderr)
		}
		if !isDevice(filepath.Join(dir, "full")) {
			t.Error("the device was replaced")
		}
		if names := listDir(t, dir); len(names) != 1 {
			t.Errorf("a failed run left %v", names)
		}
	})
	t.Run("intfile through a symbolic link", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "frames"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("frames/0001.img", filepath.Join(dir, "latest.img")); err != nil {
			t.Fatal(err)
		}
		mustRun(t, dir, append(smallRun, "-intfile", "latest.img")...)
		if st, err := os.Lstat(filepath.Join(dir, "latest.img")); err != nil || st.Mode().Type() != fs.ModeSymlink {
			t.Error("the link was replaced")
		}
		if !hasFile(t, filepath.Join(dir, "frames"), "0001.img") {
			t.Error("the link's target was not written")
		}
	})
	t.Run("read-only intfile", func(t *testing.T) {
		dir := t.TempDir()
		ro := filepath.Join(dir, "ro.img")
		if err := os.WriteFile(ro, []byte("keep"), 0o444); err != nil {
			t.Fatal(err)
		}
		r := runIn(t, dir, append(smallRun, "-intfile", "ro.img")...)
		// Refused before the render, as a bad command line.
		if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "-intfile ro.img: file is read-only") {
			t.Errorf("exit %d, stderr %q; want 2 and one line naming the read-only file", r.code, r.stderr)
		}
		if b, _ := os.ReadFile(ro); string(b) != "keep" {
			t.Errorf("read-only file now holds %q", b)
		}
		if names := listDir(t, dir); len(names) != 1 {
			t.Errorf("a failed run left %v", names)
		}
	})
}

func hasFile(t *testing.T, dir, name string) bool {
	st, err := os.Lstat(filepath.Join(dir, name))
	return err == nil && st.Mode().IsRegular()
}
