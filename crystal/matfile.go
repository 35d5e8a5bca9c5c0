package crystal

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"gobragg/internal/inputlimit"
)

// ReadMat reads a MOSFLM A matrix: the first three non-blank lines of r,
// each holding three numbers (row i is a*_i b*_i c*_i in 1/Å times the
// wavelength in Å). Numbers are read as C's "%lg" reads them, so Fortran
// output in which a minus sign abuts the previous number
// ("0.01-0.02") is accepted. Lines after the third are ignored: MOSFLM
// files go on with the missetting angles, U matrix and cell, which
// nanoBragg does not read. A matrix line with fewer or more than three
// numbers, any other text on it, or a NaN or infinite entry is an error
// that names the file and line.
func ReadMat(r io.Reader, name string) ([9]float64, error) {
	var m [9]float64
	data, err := inputlimit.Text(r)
	if err != nil {
		return m, fmt.Errorf("mat %s: %w", name, err)
	}
	lines := bytes.Split(data, []byte("\n"))
	row := 0
	for n, line := range lines {
		if row == 3 {
			break
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		i := 0
		for col := 0; col < 3; col++ {
			v, end, ok := scanCFloat(line, i)
			if !ok {
				if skipCSpace(line, i) == len(line) {
					return m, fmt.Errorf("mat %s line %d: want 3 numbers, found %d", name, n+1, col)
				}
				return m, fmt.Errorf("mat %s line %d: %q is not a number", name, n+1, firstToken(line, i))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return m, fmt.Errorf("mat %s line %d: entry %d is %g", name, n+1, col+1, v)
			}
			m[3*row+col] = v
			i = end
		}
		if j := skipCSpace(line, i); j < len(line) {
			return m, fmt.Errorf("mat %s line %d: unexpected %q after three numbers", name, n+1, firstToken(line, j))
		}
		row++
	}
	if row < 3 {
		return m, fmt.Errorf("mat %s: want 3 matrix lines, found %d", name, row)
	}
	return m, nil
}

// firstToken returns the white-space-delimited token at or after i.
func firstToken(s []byte, i int) string {
	i = skipCSpace(s, i)
	j := i
	for j < len(s) && !isCSpace(s[j]) {
		j++
	}
	return string(s[i:j])
}
