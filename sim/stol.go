package sim

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gobragg/internal/inputlimit"
)

// checkStolFile reads an amorphous-scattering table (-stol, -4stol, -Q: two
// columns, sin(theta)/lambda or Q and F). nanoBragg reads it and exits when
// it holds no data, but never uses the values in its render loop, so
// gobragg only checks that the file is readable and numeric.
func checkStolFile(path string) error {
	return readInput(path, "stol file", func(r io.Reader) error { return checkStol(r, path) })
}

// checkStol checks the table read from r; name is used in error messages.
func checkStol(r io.Reader, name string) error {
	data, err := inputlimit.Text(r)
	if err != nil {
		return fmt.Errorf("stol file %s: %w", name, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, inputlimit.MaxLineBytes+1)
	rows := 0
	for line := 1; sc.Scan(); line++ {
		f := strings.FieldsFunc(sc.Text(), func(r rune) bool { return strings.ContainsRune(" \t,;:!", r) })
		if len(f) == 0 {
			continue
		}
		for _, x := range f[:min(2, len(f))] {
			if _, err := strconv.ParseFloat(x, 64); err != nil {
				return fmt.Errorf("stol file %s line %d: %q is not a number", name, line, x)
			}
		}
		rows++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("stol file %s: %w", name, err)
	}
	if rows == 0 {
		return fmt.Errorf("stol file %s: no data", name)
	}
	return nil
}
