package imageio

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// NamedPath is a file given to a command, with the option that named it
// (for the error message). MakeDirs, for an output, says that the command
// creates the file's missing directories (a data set's frame templates).
type NamedPath struct {
	Option, Path string
	MakeDirs     bool
}

// CheckOutputs refuses outputs that would destroy an input or each other,
// and outputs that could not be written (see CheckWritable): an output
// naming the same file as an input, or as another output, after resolving
// symbolic links (and, for files that exist, hard links). An output that
// exists and is not a regular file (a device such as /dev/null, a FIFO) is
// written in place and never clashes. Empty paths are ignored. It reads
// each path once, so a dataset's thousands of inputs cost thousands of
// stat calls. Call it before any work, so that nothing is lost.
func CheckOutputs(inputs, outputs []NamedPath) error {
	if err := checkClashes(inputs, outputs, "the output of"); err != nil {
		return err
	}
	return CheckWritable(outputs)
}

// CheckDistinct refuses two of paths that name the same file, after
// resolving links as CheckOutputs does (one input given twice).
func CheckDistinct(paths []NamedPath) error {
	return checkClashes(nil, paths, "the same file as")
}

// checkClashes refuses an output that names an input or an earlier
// output; label says how the message calls an earlier output ("the output
// of").
func checkClashes(inputs, outputs []NamedPath, label string) error {
	var known pathSet
	for _, in := range inputs {
		if in.Path != "" {
			known.add(in, "the input of")
		}
	}
	for _, out := range outputs {
		if out.Path == "" {
			continue
		}
		if st, err := os.Stat(out.Path); err == nil && !st.Mode().IsRegular() {
			continue
		}
		if other, what, ok := known.find(out.Path); ok {
			return fmt.Errorf("%s %s: is %s %s %s; give another file", out.Option, out.Path, what, other.Option, other.Path)
		}
		known.add(out, label)
	}
	return nil
}

// CheckWritable refuses, before any work, outputs that the atomic write
// (Batch) would fail to write after it: an existing directory, socket or
// read-only file, a file whose directory does not exist (with MakeDirs:
// whose nearest existing ancestor is not a directory) or is not a
// directory, and a directory in which no file can be created. Devices and
// named pipes are written in place and pass; empty paths are ignored.
func CheckWritable(outputs []NamedPath) error {
	for _, out := range outputs {
		if out.Path == "" {
			continue
		}
		if err := writable(out); err != nil {
			return fmt.Errorf("%s %s: %w", out.Option, out.Path, err)
		}
	}
	return nil
}

// writable is CheckWritable for one output.
func writable(out NamedPath) error {
	target, st, err := resolveTarget(out.Path)
	if errors.Is(err, syscall.ENOTDIR) {
		target, st = out.Path, nil // the loop below names the file in the way
	} else if err != nil {
		return unwrapPath(err)
	}
	if st != nil {
		switch t := st.Mode().Type(); {
		case t&(fs.ModeDevice|fs.ModeNamedPipe) != 0:
			return nil
		case t&fs.ModeDir != 0:
			return errors.New("is a directory; give a file name")
		case t != 0:
			return fmt.Errorf("not a regular file, device or pipe (%v)", t)
		}
		if err := checkWritable(target, st); err != nil {
			return err
		}
	}
	dir := filepath.Dir(target)
	for {
		st, err := os.Stat(dir)
		switch {
		case (errors.Is(err, syscall.ENOTDIR) || (errors.Is(err, fs.ErrNotExist) && out.MakeDirs)) && filepath.Dir(dir) != dir:
			// Not there (to be created: its parent must take it), or a
			// file in the way, which a parent names.
			dir = filepath.Dir(dir)
			continue
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("directory %s does not exist", dir)
		case err != nil:
			return fmt.Errorf("directory %s: %w", dir, unwrapPath(err))
		case !st.IsDir():
			return fmt.Errorf("%s is not a directory", dir)
		}
		if err := canCreateIn(dir); err != nil {
			return fmt.Errorf("cannot create files in directory %s: %w", dir, err)
		}
		return nil
	}
}

// pathSet finds files by resolved path and, for existing ones, by identity.
type pathSet struct {
	byPath map[string]entry
	bySize map[int64][]entry // existing regular files, for os.SameFile
}

type entry struct {
	p    NamedPath
	what string
	info os.FileInfo
}

func (s *pathSet) add(p NamedPath, what string) {
	if s.byPath == nil {
		s.byPath, s.bySize = map[string]entry{}, map[int64][]entry{}
	}
	e := entry{p: p, what: what}
	if st, err := os.Stat(p.Path); err == nil && st.Mode().IsRegular() {
		e.info = st
		s.bySize[st.Size()] = append(s.bySize[st.Size()], e)
	}
	if _, ok := s.byPath[resolved(p.Path)]; !ok {
		s.byPath[resolved(p.Path)] = e
	}
}

func (s *pathSet) find(path string) (NamedPath, string, bool) {
	if e, ok := s.byPath[resolved(path)]; ok {
		return e.p, e.what, true
	}
	if st, err := os.Stat(path); err == nil {
		for _, e := range s.bySize[st.Size()] {
			if os.SameFile(st, e.info) {
				return e.p, e.what, true
			}
		}
	}
	return NamedPath{}, "", false
}

// resolved is the absolute path with symbolic links resolved as far as the
// file or, for a file still to be made, its directory exists.
func resolved(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
