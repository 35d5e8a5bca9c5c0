package imageio

import (
	"fmt"
	"os"
	"path/filepath"
)

// NamedPath is a file given to a command, with the option that named it
// (for the error message).
type NamedPath struct {
	Option, Path string
}

// CheckOutputs refuses outputs that would destroy an input or each other:
// an output naming the same file as an input, or as another output, after
// resolving symbolic links (and, for files that exist, hard links). An
// output that exists and is not a regular file (a device such as
// /dev/null, a FIFO) is written in place and never clashes. Empty paths
// are ignored. It reads each path once, so a dataset's thousands of
// inputs cost thousands of stat calls. Call it before any work, so that
// nothing is lost.
func CheckOutputs(inputs, outputs []NamedPath) error {
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
		known.add(out, "the output of")
	}
	return nil
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
