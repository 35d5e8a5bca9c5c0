package imageio

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write so that path either keeps
// its previous state or holds the complete new content: the data go to a
// temporary file in the same directory, which is flushed, fsynced, closed
// and renamed onto path. On any error (including one returned by write)
// the temporary file is removed and path is left untouched. A new file
// gets mode 0644; an existing file keeps its mode.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	var b Batch
	if err := b.Add(path, write); err != nil {
		return err
	}
	return b.Commit()
}

// Batch writes several files so that either all of them appear complete or
// none changes: Add writes each to a temporary file beside its target and
// Commit renames them all once every write has succeeded. Abort (or a
// failed Add) removes the temporary files.
type Batch struct {
	pending [][2]string // temporary name, target path
}

// Add writes one file of the batch to a temporary name.
func (b *Batch) Add(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	mode := fs.FileMode(0o644)
	if st, serr := os.Stat(path); serr == nil {
		if st.IsDir() {
			return fmt.Errorf("write %s: is a directory", path)
		}
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	b.pending = append(b.pending, [2]string{name, path})
	return nil
}

// Abort removes every temporary file of the batch.
func (b *Batch) Abort() {
	for _, p := range b.pending {
		os.Remove(p[0])
	}
	b.pending = nil
}

// Commit renames every temporary file onto its target.
func (b *Batch) Commit() error {
	defer b.Abort()
	var done []string
	for i, p := range b.pending {
		done = append(done, filepath.Dir(p[1]))
		if err := os.Rename(p[0], p[1]); err != nil {
			b.pending = b.pending[i:]
			return fmt.Errorf("write %s: %w", p[1], err)
		}
	}
	b.pending = nil
	// Make the renames durable where the file system can sync a directory;
	// the files are complete either way, so errors here are ignored.
	for _, p := range done {
		if d, derr := os.Open(p); derr == nil {
			_ = d.Sync()
			d.Close()
		}
	}
	return nil
}
