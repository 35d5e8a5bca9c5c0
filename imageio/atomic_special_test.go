//go:build linux

package imageio

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// mkdev is Linux's device number for small major and minor numbers.
func mkdev(major, minor int) int { return major<<8 | minor }

// mknodOrSkip makes a character device node (as /dev/null is c 1 3 and
// /dev/full c 1 7), skipping the test where that is not allowed (not root).
func mknodOrSkip(t *testing.T, path string, major, minor int) {
	t.Helper()
	if err := syscall.Mknod(path, syscall.S_IFCHR|0o666, mkdev(major, minor)); err != nil {
		t.Skipf("mknod %s: %v (needs root): skipping", path, err)
	}
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// noTemporaryFiles fails when dir holds a ".NAME.tmp-N" file.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	for _, n := range dirEntries(t, dir) {
		if strings.Contains(n, ".tmp-") {
			t.Errorf("temporary file %s left in %s", n, dir)
		}
	}
}

// TestWriteSpecialFiles writes onto each kind of existing path and checks
// that devices and pipes are written in place (still a device or pipe
// afterwards), links keep pointing at their target, read-only files and
// full devices are errors, and nothing temporary is left.
func TestWriteSpecialFiles(t *testing.T) {
	t.Run("null device", func(t *testing.T) {
		dir := t.TempDir()
		null := filepath.Join(dir, "null")
		mknodOrSkip(t, null, 1, 3)
		if err := WriteFileAtomic(null, writeString("photons")); err != nil {
			t.Fatal(err)
		}
		st, err := os.Lstat(null)
		if err != nil || st.Mode().Type()&fs.ModeCharDevice == 0 {
			t.Errorf("after the write %s is %v (err %v), want the character device", null, st.Mode(), err)
		}
		noTemporaryFiles(t, dir)
	})
	t.Run("full device", func(t *testing.T) {
		dir := t.TempDir()
		full := filepath.Join(dir, "full")
		mknodOrSkip(t, full, 1, 7)
		err := WriteFileAtomic(full, writeString(strings.Repeat("x", 1<<17)))
		if err == nil || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") ||
			!strings.Contains(err.Error(), full) {
			t.Errorf("writing %s: error %v, want one naming the file and saying no space left on device", full, err)
		}
		if st, _ := os.Lstat(full); st == nil || st.Mode().Type()&fs.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a device", full)
		}
		noTemporaryFiles(t, dir)
	})
	t.Run("named pipe", func(t *testing.T) {
		dir := t.TempDir()
		fifo := filepath.Join(dir, "pipe")
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		got := make(chan string, 1)
		go func() {
			b, _ := os.ReadFile(fifo) // opens for reading, which lets the writer's open proceed
			got <- string(b)
		}()
		if err := WriteFileAtomic(fifo, writeString("through the pipe")); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "through the pipe" {
			t.Errorf("reader got %q", s)
		}
		if st, _ := os.Lstat(fifo); st == nil || st.Mode().Type() != fs.ModeNamedPipe {
			t.Errorf("%s is no longer a named pipe", fifo)
		}
		noTemporaryFiles(t, dir)
	})
	t.Run("symlink to a regular file", func(t *testing.T) {
		dir := t.TempDir()
		sub := filepath.Join(dir, "data")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(sub, "real.bin")
		if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "link.bin")
		if err := os.Symlink("data/real.bin", link); err != nil { // relative to the link's directory
			t.Fatal(err)
		}
		if err := WriteFileAtomic(link, writeString("new")); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Lstat(link); st == nil || st.Mode().Type() != fs.ModeSymlink {
			t.Errorf("%s is no longer a symbolic link", link)
		}
		if b, _ := os.ReadFile(target); string(b) != "new" {
			t.Errorf("link target holds %q, want %q", b, "new")
		}
		if st, _ := os.Stat(target); st.Mode().Perm() != 0o600 {
			t.Errorf("link target mode %v, want its old 0600", st.Mode().Perm())
		}
		noTemporaryFiles(t, dir)
		noTemporaryFiles(t, sub)
	})
	t.Run("dangling symlink", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "link.bin")
		if err := os.Symlink("made.bin", link); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAtomic(link, writeString("made")); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "made.bin")); string(b) != "made" {
			t.Errorf("the link's target holds %q", b)
		}
		if st, _ := os.Lstat(link); st == nil || st.Mode().Type() != fs.ModeSymlink {
			t.Errorf("%s is no longer a symbolic link", link)
		}
	})
	t.Run("symlink to a device", func(t *testing.T) {
		dir := t.TempDir()
		null := filepath.Join(dir, "null")
		mknodOrSkip(t, null, 1, 3)
		link := filepath.Join(dir, "out.bin")
		if err := os.Symlink(null, link); err != nil {
			t.Fatal(err)
		}
		if err := WriteFileAtomic(link, writeString("x")); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Lstat(null); st == nil || st.Mode().Type()&fs.ModeCharDevice == 0 {
			t.Errorf("device behind the link was replaced")
		}
		if st, _ := os.Lstat(link); st == nil || st.Mode().Type() != fs.ModeSymlink {
			t.Errorf("link was replaced")
		}
	})
	t.Run("read-only file", func(t *testing.T) {
		dir := t.TempDir()
		ro := filepath.Join(dir, "ro.bin")
		if err := os.WriteFile(ro, []byte("keep"), 0o444); err != nil {
			t.Fatal(err)
		}
		err := WriteFileAtomic(ro, writeString("overwrite"))
		if err == nil || !strings.Contains(err.Error(), ro) || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("writing a read-only file: error %v, want one naming it read-only", err)
		}
		if b, _ := os.ReadFile(ro); string(b) != "keep" {
			t.Errorf("read-only file now holds %q", b)
		}
		noTemporaryFiles(t, dir)
	})
	t.Run("symlink loop", func(t *testing.T) {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.Symlink("b", a)
		os.Symlink("a", b)
		if err := WriteFileAtomic(a, writeString("x")); err == nil || !strings.Contains(err.Error(), "symbolic links") {
			t.Errorf("writing through a link loop: error %v", err)
		}
		noTemporaryFiles(t, dir)
	})
}

// TestBatchDeviceFailureKeepsRegularFiles: when a device of a batch fails
// (a full disk), no regular file of the batch changes.
func TestBatchDeviceFailureKeepsRegularFiles(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	mknodOrSkip(t, full, 1, 7)
	reg := filepath.Join(dir, "image.img")
	if err := os.WriteFile(reg, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b Batch
	if err := b.Add(reg, writeString("new")); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(full, writeString("floats")); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("commit onto a full device: error %v, want no space", err)
	}
	if got, _ := os.ReadFile(reg); string(got) != "old" {
		t.Errorf("regular file of the failed batch holds %q", got)
	}
	noTemporaryFiles(t, dir)
}

// TestRemoveTemporaryFiles: what a signal handler calls removes the
// temporary files of a pending batch and refuses new ones.
func TestRemoveTemporaryFiles(t *testing.T) {
	defer func() { // let the other tests of the package write again
		temps.mu.Lock()
		temps.closed = false
		temps.mu.Unlock()
	}()
	dir := t.TempDir()
	var b Batch
	if err := b.Add(filepath.Join(dir, "a.bin"), writeString("a")); err != nil {
		t.Fatal(err)
	}
	if n := len(dirEntries(t, dir)); n != 1 {
		t.Fatalf("pending batch holds %d files, want its temporary file", n)
	}
	RemoveTemporaryFiles()
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("after RemoveTemporaryFiles the directory holds %v", names)
	}
	if err := b.Add(filepath.Join(dir, "b.bin"), writeString("b")); err == nil {
		t.Error("Add after RemoveTemporaryFiles succeeded")
	}
	if err := b.Commit(); err == nil {
		t.Error("Commit after RemoveTemporaryFiles succeeded")
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v", names)
	}
}
