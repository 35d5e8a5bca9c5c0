package mtz

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"gobragg/symop"
)

// Reflection is one merged reflection: Miller indices, amplitude F and its
// standard error SigF (the same units, electrons or arbitrary).
type Reflection struct {
	H, K, L int
	F, SigF float64
}

// File is a merged MTZ file of one dataset.
type File struct {
	Title string
	// Cell is a, b, c in Angstrom and alpha, beta, gamma in degrees.
	Cell [6]float64
	// SpaceGroup is the Hermann-Mauguin name with spaces ("P 41 21 2"),
	// SpaceGroupNumber its number in International Tables (CCP4's).
	SpaceGroup       string
	SpaceGroupNumber int
	// Group holds the symmetry operators, written as SYMM records.
	Group *symop.Group
	// WavelengthA is the dataset's wavelength in Angstrom (0: unknown).
	WavelengthA float64
	// Project, Crystal and Dataset name the dataset ("gobragg" when empty).
	Project, Crystal, Dataset string
	Reflections               []Reflection
}

// record is the length of an MTZ header record and of the first record.
const record = 80

// dataWord is the 1-based word at which reflection data start: after the
// first record's 20 words.
const dataWord = record/4 + 1

// machineStamp says little-endian IEEE reals, integers and ASCII.
var machineStamp = [4]byte{0x44, 0x41, 0, 0}

// columns are the labels and CCP4 column types (H index, F amplitude, Q
// standard deviation) and dataset ids of what Write writes.
var columns = []struct {
	label, kind string
	dataset     int
}{{"H", "H", 0}, {"K", "H", 0}, {"L", "H", 0}, {"F", "F", 1}, {"SIGF", "Q", 1}}

// maxIndex bounds |h|, |k|, |l|: float32 holds integers exactly up to 2^24.
const maxIndex = 1 << 24

// invDSquared returns a function giving 1/d^2 in 1/Angstrom^2 of hkl for
// the cell, from the inverse of the direct metric tensor.
func invDSquared(cell [6]float64) (func(h, k, l int) float64, error) {
	a, b, c := cell[0], cell[1], cell[2]
	ca, cb, cg := math.Cos(cell[3]*math.Pi/180), math.Cos(cell[4]*math.Pi/180), math.Cos(cell[5]*math.Pi/180)
	g := mat.NewDense(3, 3, []float64{a * a, a * b * cg, a * c * cb, a * b * cg, b * b, b * c * ca, a * c * cb, b * c * ca, c * c})
	// A volume below 1e-5 of a*b*c is a degenerate cell up to rounding.
	if det := mat.Det(g); !(det > 1e-10*(a*b*c)*(a*b*c)) {
		return nil, fmt.Errorf("cell %v has no volume", cell)
	}
	var gi mat.Dense
	if err := gi.Inverse(g); err != nil {
		return nil, fmt.Errorf("cell %v: %v", cell, err)
	}
	return func(h, k, l int) float64 {
		v := [3]float64{float64(h), float64(k), float64(l)}
		s := 0.0
		for i := range 3 {
			for j := range 3 {
				s += v[i] * gi.At(i, j) * v[j]
			}
		}
		return s
	}, nil
}

// pointGroup is the point group symbol of a space group name, as CCP4's
// SYMINF record gives it ("PG422" for "P 41 21 2"): screw axes lose their
// subscripts, glide planes become mirrors, and the 1s of a full
// monoclinic symbol are dropped.
func pointGroup(name string) string {
	name, _, _ = strings.Cut(name, ":")
	f := strings.Fields(name)
	if len(f) == 0 {
		return "PG1"
	}
	var parts []string
	for _, t := range f[1:] {
		var out strings.Builder
		for i, part := range strings.Split(t, "/") {
			if i > 0 {
				out.WriteByte('/')
			}
			switch {
			case strings.ContainsAny(part[:1], "abcdemn"):
				out.WriteByte('m')
			case part[0] == '-' && len(part) > 1:
				out.WriteString(part[:2])
			default:
				out.WriteByte(part[0])
			}
		}
		parts = append(parts, out.String())
	}
	var kept []string
	for _, p := range parts {
		if p != "1" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		kept = parts[:min(1, len(parts))]
	}
	return "PG" + strings.Join(kept, "")
}
