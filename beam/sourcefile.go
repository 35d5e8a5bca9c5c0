package beam

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gobragg/internal/inputlimit"
)

// sourceColumns is the number of columns nanoBragg reads from a source
// file: X, Y, Z, weight, wavelength.
const sourceColumns = 5

// isDelimiter reports whether c separates columns in nanoBragg's text
// files (read_text_file's " \t,;:!").
func isDelimiter(c rune) bool { return strings.ContainsRune(" \t,;:!", c) }

// ReadSourceFile reads a source file as nanoBragg's read_text_file does:
// lines that are empty after the delimiters " \t,;:!" are skipped; other
// lines give one source each from up to five delimiter-separated columns
// X Y Z (metres), weight, wavelength (metres); missing columns are NaN and
// columns past the fifth are ignored. name is used in error messages.
//
// Where C's atof would silently read garbage as 0 (comments, typos), or
// where C would misparse, ReadSourceFile returns an error naming the line:
// every column must be a number (NaN counts as missing, as in C, except
// in the wavelength column, where it is refused) and not infinite, a
// wavelength must be positive, and a position X Y Z of 0 0 0 (no
// direction) is refused. At most inputlimit.MaxTextBytes are read. Line ends may be "\n" or
// "\r\n", and the last line needs no newline (C reads an extra 0 column
// in both cases). A file without sources is an error.
func ReadSourceFile(r io.Reader, name string) ([]FileSource, error) {
	data, err := inputlimit.Text(r)
	if err != nil {
		return nil, fmt.Errorf("sourcefile %s: %w", name, err)
	}
	br := bufio.NewReader(bytes.NewReader(data))
	var out []FileSource
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("sourcefile %s line %d: %w", name, lineNo, err)
		}
		if line == "" && err != nil {
			break
		}
		text := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		fields := strings.FieldsFunc(text, isDelimiter)
		if len(fields) > 0 {
			s, perr := parseSourceLine(fields)
			if perr != nil {
				return nil, fmt.Errorf("sourcefile %s line %d: %w", name, lineNo, perr)
			}
			out = append(out, s)
		}
		if err != nil {
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sourcefile %s: no sources (the file has no non-blank lines)", name)
	}
	return out, nil
}

var columnNames = [sourceColumns]string{"X", "Y", "Z", "weight", "wavelength"}

func parseSourceLine(fields []string) (FileSource, error) {
	var v [sourceColumns]float64
	for i := range v {
		v[i] = math.NaN()
	}
	for i := 0; i < len(fields) && i < sourceColumns; i++ {
		x, err := strconv.ParseFloat(fields[i], 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return FileSource{}, fmt.Errorf("column %d (%s) %q is not a number", i+1, columnNames[i], fields[i])
		}
		if math.IsInf(x, 0) {
			return FileSource{}, fmt.Errorf("column %d (%s) %q is not finite", i+1, columnNames[i], fields[i])
		}
		if i == 4 && math.IsNaN(x) {
			return FileSource{}, fmt.Errorf("column 5 (wavelength) %q is not a number (leave the column out for the -lambda default)", fields[i])
		}
		v[i] = x
	}
	if l := v[4]; !math.IsNaN(l) && l <= 0 {
		return FileSource{}, fmt.Errorf("wavelength %q is not positive (metres)", fields[4])
	}
	if len(fields) >= 3 && v[0] == 0 && v[1] == 0 && v[2] == 0 {
		return FileSource{}, fmt.Errorf("source position 0 0 0 gives no direction to the sample")
	}
	return FileSource{X: v[0], Y: v[1], Z: v[2], Weight: v[3], LambdaM: v[4]}, nil
}
