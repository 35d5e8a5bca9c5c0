package imageio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFileAtomic writes a file through write so that path either keeps
// its previous state or holds the complete new content. How depends on
// what path is (see Batch.Add): a new path or a regular file is written to
// a temporary file in the same directory, which is flushed, fsynced,
// closed and renamed onto path; a symbolic link has its target written
// that way; a device or named pipe is written in place; a read-only file,
// a directory or a socket is an error. On any error (including one
// returned by write) the temporary file is removed and path is left
// untouched. A new file gets mode 0644; an existing file keeps its mode.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	var b Batch
	if err := b.Add(path, write); err != nil {
		return err
	}
	return b.Commit()
}

// Batch writes several files so that either all of them appear complete or
// none changes: Add writes each regular file to a temporary name beside its
// target and Commit renames them all once every write has succeeded. Abort
// (or a failed Add) removes the temporary files. Temporary files are
// registered with RemoveTemporaryFiles, so an interrupted program can
// remove them too.
//
// A device or a named pipe cannot be replaced (the rename would put a
// regular file where /dev/null or the pipe was), so it is written in place
// by Commit, before the renames: a failure there (a full device, a closed
// pipe) still leaves every regular target untouched. Writing to a named
// pipe waits for a reader, as the C program's fopen does.
type Batch struct {
	pending [][2]string // temporary name, target path
	inPlace []inPlaceWrite
}

// inPlaceWrite is a special file written by Commit.
type inPlaceWrite struct {
	path  string // the file as named by the caller (for messages)
	write func(io.Writer) error
}

// Add writes one file of the batch: to a temporary name for a new path or a
// regular file (or the target of a symbolic link to one), deferred to
// Commit for a device or named pipe.
func (b *Batch) Add(path string, write func(io.Writer) error) (err error) {
	target, st, err := resolveTarget(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	mode := fs.FileMode(0o644)
	if st != nil {
		switch t := st.Mode().Type(); {
		case t&(fs.ModeDevice|fs.ModeNamedPipe) != 0:
			b.inPlace = append(b.inPlace, inPlaceWrite{path, write})
			return nil
		case t&fs.ModeDir != 0:
			return fmt.Errorf("write %s: is a directory", path)
		case t != 0:
			return fmt.Errorf("write %s: not a regular file, device or pipe (%v)", path, t)
		}
		if err := checkWritable(target, st); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		mode = st.Mode().Perm()
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := createTemp(dir, "."+base+tempSuffix+"*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, withoutTemp(err))
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			removeTemp(name)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutTemp(err))
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutTemp(err))
	}
	if err = tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutTemp(err))
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutTemp(err))
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, withoutTemp(err))
	}
	b.pending = append(b.pending, [2]string{name, target})
	return nil
}

// resolveTarget follows path through symbolic links to the file that is to
// be written and returns it with its Lstat (nil for a path that does not
// exist yet, for example the missing target of a dangling link).
func resolveTarget(path string) (string, fs.FileInfo, error) {
	if path == "" {
		return "", nil, fmt.Errorf("empty file name")
	}
	target := path
	for hops := 0; ; hops++ {
		st, err := os.Lstat(target)
		if os.IsNotExist(err) {
			return target, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if st.Mode().Type() != fs.ModeSymlink {
			return target, st, nil
		}
		if hops >= 40 { // Linux's limit (ELOOP)
			return "", nil, fmt.Errorf("too many levels of symbolic links")
		}
		link, err := os.Readlink(target)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(target), link)
		}
		target = link
	}
}

// checkWritable refuses a file the caller could not open for writing and a
// file without any write permission bit (which root could otherwise
// replace): the temporary-file-and-rename write would silently replace a
// file its owner made read-only. Opening without O_TRUNC changes nothing.
func checkWritable(path string, st fs.FileInfo) error {
	if st.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("file is read-only (mode %v)", st.Mode().Perm())
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("file is not writable: %w", unwrapPath(err))
	}
	return f.Close()
}

// withoutTemp drops from err the name of a temporary file of this package
// (".NAME.tmp-N", which the caller never named and which is gone by the
// time the message is read): a *PathError or *LinkError about one becomes
// its bare error (ENOSPC stays ENOSPC).
func withoutTemp(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if _, ok := TemporaryTarget(filepath.Base(pe.Path)); ok {
			return pe.Err
		}
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		if _, ok := TemporaryTarget(filepath.Base(le.Old)); ok {
			return le.Err
		}
	}
	return err
}

// unwrapPath drops the *PathError's repetition of the file name.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// writeInPlace writes a device or named pipe through write.
func writeInPlace(w inPlaceWrite) error {
	f, err := os.OpenFile(w.path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", w.path, unwrapPath(err))
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = w.write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", w.path, unwrapPath(err))
	}
	return nil
}

// Abort removes every temporary file of the batch.
func (b *Batch) Abort() {
	for _, p := range b.pending {
		removeTemp(p[0])
	}
	b.pending = nil
	b.inPlace = nil
}

// Commit writes the devices and pipes of the batch in place, then renames
// every temporary file onto its target.
func (b *Batch) Commit() error {
	defer b.Abort()
	for _, w := range b.inPlace {
		if err := writeInPlace(w); err != nil {
			return err
		}
	}
	var done []string
	for i, p := range b.pending {
		done = append(done, filepath.Dir(p[1]))
		if err := renameTemp(p[0], p[1]); err != nil {
			b.pending = b.pending[i:]
			return fmt.Errorf("write %s: %w", p[1], withoutTemp(err))
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

// tempSuffix marks the writer's temporary files: "." + base + tempSuffix +
// random digits, beside the file they become.
const tempSuffix = ".tmp-"

// TemporaryTarget reports whether name (a file name without its directory)
// is one of this package's temporary output files, and the base name of the
// file it was to become, so that a re-run can clean up after a killed one.
func TemporaryTarget(name string) (base string, ok bool) {
	i := strings.LastIndex(name, tempSuffix)
	if i <= 0 || name[0] != '.' {
		return "", false
	}
	return name[1:i], true
}
