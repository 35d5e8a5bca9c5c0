package sim

import (
	"fmt"
	"io"
	"os"
)

// readInput opens a user's input file and hands it to read. The readers
// bound what they read (see internal/inputlimit), so a device such as
// /dev/zero gives an error instead of filling memory; what prefixes an
// open error ("hkl", "mat", ...).
func readInput(path, what string, read func(r io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer f.Close()
	return read(f)
}
