package sim

import (
	"fmt"
	"io"
	"os"
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
