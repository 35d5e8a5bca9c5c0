package crystal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gobragg/internal/inputlimit"
)

// HKLOptions selects how ReadHKL parses a file.
type HKLOptions struct {
	// CParity reproduces nanoBragg's reader: the file is a stream of
	// white-space-separated numbers read four at a time (h k l F, line
	// breaks mean nothing) until the first token that is not a number,
	// where reading stops silently. A file that starts with '#' comment
	// lines therefore yields no reflections, and extra columns are read as
	// the next reflection. When false, the line-based specification reader
	// is used (see ReadHKL).
	CParity bool
}

// Reflection is one line of an hkl file: Miller indices and the structure
// factor amplitude F (arbitrary units).
type Reflection struct {
	H, K, L int
	F       float64
}

// ErrNoReflections is wrapped by ReadHKL's error for a file with no
// reflections.
var ErrNoReflections = errors.New("no reflections")

// MaxGridPoints bounds the dense F table (h, k and l ranges multiplied):
// ReadHKL and ReadFdump reject larger tables (8 bytes a point, so 1 GiB).
const MaxGridPoints = 1 << 27

// MaxF bounds the magnitude of a structure factor (in a file or
// -default_F): far above any real amplitude, low enough that F^2 times the
// largest fluence and lattice factor stays finite.
const MaxF = 1e10

// checkF refuses an amplitude that is NaN, infinite or above MaxF.
func checkF(F float64) error {
	if math.IsNaN(F) || math.IsInf(F, 0) {
		return fmt.Errorf("F = %g is not finite", F)
	}
	if math.Abs(F) > MaxF {
		return fmt.Errorf("F = %g is outside the valid range [-%g, %g]", F, MaxF, MaxF)
	}
	return nil
}

// maxIndex bounds |h|, |k|, |l| (C reads them into int).
const maxIndex = math.MaxInt32

// ReadHKL reads a text list of reflections "h k l F" from r; name is used
// in error messages.
//
// Specification mode (opt.CParity false) is line based: blank lines and
// lines whose first non-blank character is '#' are skipped; every other
// line needs at least four columns h k l F (more columns, such as sigma or
// phase, are ignored). h, k, l must be integers (a value such as "3.0" is
// accepted; "3.5" is an error: nanoBragg only warns and then misreads the
// file) and F must be a finite number. A bad line gives an error
// "hkl FILE line N: ...".
//
// C-parity mode (opt.CParity true) reads as nanoBragg does (see
// HKLOptions). There an index token that is not a plain integer ("1.0",
// "2.5", "1e2") is an error rather than silently misread, because
// nanoBragg's second pass reads indices with %d and would go astray from
// that point.
//
// In both modes F must be finite and at most MaxF in magnitude (C would
// render NaN or infinite pixels), a file is read only up to
// inputlimit.MaxTextBytes with lines up to inputlimit.MaxLineBytes, later duplicates override earlier ones when the table is
// built, a file without reflections gives an error wrapping
// ErrNoReflections (together with the empty list), and a file whose index
// ranges would need more than MaxGridPoints table points is an error.
func ReadHKL(r io.Reader, name string, opt HKLOptions) ([]Reflection, error) {
	data, err := inputlimit.Text(r)
	if err != nil {
		return nil, fmt.Errorf("hkl %s: %w", name, err)
	}
	var refl []Reflection
	if opt.CParity {
		refl, err = readHKLC(data, name)
	} else {
		refl, err = readHKLSpec(data, name)
	}
	if err != nil {
		return nil, err
	}
	if len(refl) == 0 {
		if opt.CParity {
			return []Reflection{}, fmt.Errorf("%w in %s (the C-parity reader stops at the first token that is not a number, such as a '#' comment)", ErrNoReflections, name)
		}
		return []Reflection{}, fmt.Errorf("%w in %s", ErrNoReflections, name)
	}
	if n := gridPoints(extent(refl)); n > MaxGridPoints {
		lo, hi := extent(refl)
		return nil, fmt.Errorf("hkl %s: indices h %d..%d, k %d..%d, l %d..%d need %d table points (limit %d)",
			name, lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], n, MaxGridPoints)
	}
	return refl, nil
}

// readHKLSpec is the line-based specification reader.
func readHKLSpec(data []byte, name string) ([]Reflection, error) {
	var refl []Reflection
	for n, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("hkl %s line %d: want 4 columns h k l F, found %d in %q", name, n+1, len(f), line)
		}
		var hkl [3]int
		for i := range 3 {
			v, err := parseIndex(f[i])
			if err != nil {
				return nil, fmt.Errorf("hkl %s line %d: %c %w", name, n+1, "hkl"[i], err)
			}
			hkl[i] = v
		}
		F, err := strconv.ParseFloat(f[3], 64)
		if err != nil {
			return nil, fmt.Errorf("hkl %s line %d: F %q is not a number", name, n+1, f[3])
		}
		if err := checkF(F); err != nil {
			return nil, fmt.Errorf("hkl %s line %d: %w", name, n+1, err)
		}
		refl = append(refl, Reflection{hkl[0], hkl[1], hkl[2], F})
	}
	return refl, nil
}

// parseIndex parses a Miller index that must have an integer value.
func parseIndex(tok string) (int, error) {
	v, err := strconv.ParseFloat(tok, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", tok)
	}
	if v != math.Trunc(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("= %s is not an integer", tok)
	}
	if math.Abs(v) > maxIndex {
		return 0, fmt.Errorf("= %s is out of range", tok)
	}
	return int(v), nil
}

// readHKLC is nanoBragg's fscanf loop: four numbers at a time until one
// cannot be read.
func readHKLC(data []byte, name string) ([]Reflection, error) {
	var refl []Reflection
	i := 0
	for {
		var vals [4]float64
		var starts, ends [4]int
		for c := range 4 {
			starts[c] = skipCSpace(data, i)
			v, end, ok := scanCFloat(data, i)
			if !ok {
				return refl, nil
			}
			vals[c], ends[c], i = v, end, end
		}
		var hkl [3]int
		for c := range 3 {
			tok := data[starts[c]:ends[c]]
			line := func() int { return 1 + bytes.Count(data[:starts[c]], []byte("\n")) }
			if !isCInt(tok) {
				return nil, fmt.Errorf("hkl %s line %d: %c = %q is not an integer (nanoBragg would read it with %%d and misread the rest of the file)",
					name, line(), "hkl"[c], tok)
			}
			if math.Abs(vals[c]) > maxIndex {
				return nil, fmt.Errorf("hkl %s line %d: %c = %s is out of range", name, line(), "hkl"[c], tok)
			}
			hkl[c] = int(vals[c])
		}
		if err := checkF(vals[3]); err != nil {
			line := 1 + bytes.Count(data[:starts[3]], []byte("\n"))
			return nil, fmt.Errorf("hkl %s line %d: %w", name, line, err)
		}
		refl = append(refl, Reflection{hkl[0], hkl[1], hkl[2], vals[3]})
	}
}

// extent returns the smallest and largest h, k, l of a non-empty list.
func extent(refl []Reflection) (lo, hi [3]int) {
	lo = [3]int{refl[0].H, refl[0].K, refl[0].L}
	hi = lo
	for _, r := range refl[1:] {
		for i, v := range [3]int{r.H, r.K, r.L} {
			lo[i] = min(lo[i], v)
			hi[i] = max(hi[i], v)
		}
	}
	return lo, hi
}

// gridPoints returns the number of points of the table spanning lo..hi,
// saturating at MaxGridPoints+1.
func gridPoints(lo, hi [3]int) int64 {
	n := int64(1)
	for i := range 3 {
		r := int64(hi[i]) - int64(lo[i]) + 1
		if r <= 0 {
			return 0
		}
		if r > MaxGridPoints || n*r > MaxGridPoints {
			return MaxGridPoints + 1
		}
		n *= r
	}
	return n
}
