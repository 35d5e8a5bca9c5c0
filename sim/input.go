package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"gobragg/beam"
	"gobragg/config"
	"gobragg/crystal"
	reflfile "gobragg/refl"
)

// InputError is an input file that cannot be used: missing, unreadable,
// malformed or claiming more than it holds. Commands exit 2 for it, as
// for a bad option: the user gave something gobragg cannot take.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// readInput opens a user's input file and hands it to read. The readers
// bound what they read (see internal/inputlimit), so a device such as
// /dev/zero gives an error instead of filling memory; what prefixes an
// open error ("hkl", "mat", ...). Every error is an *InputError.
func readInput(path, what string, read func(r io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return &InputError{fmt.Errorf("%s: %w", what, err)}
	}
	defer f.Close()
	if err := read(f); err != nil {
		return &InputError{err}
	}
	return nil
}

// inputs is what Prepare reads from files (config has read -mask, -img
// and -expt_in already). A read that failed keeps its error here instead
// of stopping the reading: resolvePhysics returns it where nanoBragg
// reads that file, so that what nanoBragg refuses before it (a detector
// facing away, an impossible cell, too big a render) is still refused
// first.
type inputs struct {
	mat    [9]float64 // -mat: nanoBragg's matrix file, as crystal.ReadMat gives it
	matErr error
	sf     sfInput
	// stolErr is the -stol table's check: nanoBragg reads the table but
	// never uses it (see checkStolFile).
	stolErr    error
	sources    []beam.FileSource // -sourcefile (nil without)
	sourcesErr error
}

// sfInput is where the structure factors come from: the reflections of
// -hkl, else the dump file an earlier run left, else nowhere.
type sfInput struct {
	refl []crystal.Reflection // -hkl's, at least one
	// dumpOpened says the dump file was opened (nanoBragg then prints
	// that it reads it); dump is its table.
	dumpOpened bool
	dump       *crystal.FGrid
	// written is the dump file's modification time, when dated.
	written time.Time
	dated   bool
	// none says why there is no table (neither -hkl nor a dump file).
	none string
	err  error
}

// readInputs reads every input file the settings name, in nanoBragg's
// order: -mat, the structure factors, -stol, -sourcefile.
func readInputs(s *config.Settings, dirs Dirs) *inputs {
	in := &inputs{}
	if s.MatFile != "" {
		path := dirs.in(s.MatFile)
		in.matErr = readInput(path, "mat", func(r io.Reader) (err error) {
			in.mat, err = crystal.ReadMat(r, path)
			return err
		})
	}
	in.sf = readStructureFactors(s, dirs)
	if s.StolFile != "" {
		in.stolErr = checkStolFile(dirs.in(s.StolFile))
	}
	if s.SourceFile != "" {
		in.sources, in.sourcesErr = readSourceFile(dirs.in(s.SourceFile))
	}
	return in
}

// readStructureFactors reads -hkl (a nanoBragg HKL file or a reflection
// table), or else the dump file Fdump.bin unless -nodump or the command
// (Dirs.NoDump) keeps away from it.
func readStructureFactors(s *config.Settings, dirs Dirs) (sf sfInput) {
	if s.HKLFile != "" {
		path := dirs.in(s.HKLFile)
		sf.err = readInput(path, "hkl", func(r io.Reader) (err error) {
			br := bufio.NewReader(r)
			if head, _ := br.Peek(64); reflfile.IsTable(head) {
				sf.refl, err = reflectionsFromTable(br, path, s.Mode)
				return err
			}
			sf.refl, err = crystal.ReadHKL(br, path, crystal.HKLOptions{CParity: s.Mode == config.ModeCParity})
			return err
		})
		if sf.err == nil && len(sf.refl) == 0 {
			sf.err = fmt.Errorf("hkl %s: not enough HKL indices (no reflection could be read)", path)
		}
		return sf
	}
	switch {
	case s.NoDump:
		sf.none = "-nodump is given"
		return sf
	case dirs.NoDump:
		sf.none = "this command reads no " + s.DumpFile
		return sf
	}
	dump := dirs.out(s.DumpFile)
	f, err := os.Open(dump)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		sf.none = "there is no " + dump + " to read"
		return sf
	case err != nil:
		sf.err = fmt.Errorf("dump file: %w", err)
		return sf
	}
	defer f.Close()
	sf.dumpOpened = true
	if sf.dump, sf.err = crystal.ReadFdump(f, dump); sf.err != nil {
		return sf
	}
	if st, err := f.Stat(); err == nil {
		sf.written, sf.dated = st.ModTime(), true
	}
	return sf
}

func readSourceFile(path string) (fs []beam.FileSource, err error) {
	err = readInput(path, "sourcefile", func(r io.Reader) error {
		fs, err = beam.ReadSourceFile(r, path)
		return err
	})
	return fs, err
}
