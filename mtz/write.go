package mtz

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
)

// Write writes f as a merged MTZ file. It checks everything first and
// writes nothing for a file it cannot write: a cell without volume or not
// finite, a space group without a name, number or operators, an index
// beyond 2^24, an F or SIGF that is not finite, no reflections.
func Write(w io.Writer, f File) error {
	if err := check(f); err != nil {
		return err
	}
	invD2, err := invDSquared(f.Cell)
	if err != nil {
		return fmt.Errorf("mtz: %v", err)
	}
	n := len(f.Reflections)
	data := make([]float32, 0, n*len(columns))
	lo, hi := make([]float64, len(columns)), make([]float64, len(columns))
	resLo, resHi := math.Inf(1), math.Inf(-1)
	for i, r := range f.Reflections {
		row := []float64{float64(r.H), float64(r.K), float64(r.L), r.F, r.SigF}
		for j, v := range row {
			v = float64(float32(v))
			if i == 0 || v < lo[j] {
				lo[j] = v
			}
			if i == 0 || v > hi[j] {
				hi[j] = v
			}
			data = append(data, float32(v))
		}
		if s := invD2(r.H, r.K, r.L); s > 0 {
			resLo, resHi = math.Min(resLo, s), math.Max(resHi, s)
		}
	}
	if math.IsInf(resLo, 0) {
		resLo, resHi = 0, 0
	}
	bw := bufio.NewWriter(w)
	first := make([]byte, record)
	copy(first, "MTZ ")
	binary.LittleEndian.PutUint32(first[4:], uint32(dataWord+len(data)))
	copy(first[8:], machineStamp[:])
	bw.Write(first)
	buf := make([]byte, 4)
	for _, v := range data {
		binary.LittleEndian.PutUint32(buf, math.Float32bits(v))
		bw.Write(buf)
	}
	var long string // a record that would not fit (check makes it impossible)
	rec := func(format string, args ...any) {
		s := fmt.Sprintf(format, args...)
		if len(s) > record {
			long, s = s, s[:record]
		}
		bw.WriteString(s + strings.Repeat(" ", record-len(s)))
	}
	c := f.Cell
	rec("VERS MTZ:V1.1")
	rec("TITLE %s", f.Title)
	rec("NCOL %8d %12d %8d", len(columns), n, 0)
	rec("CELL  %9.4f %9.4f %9.4f %9.4f %9.4f %9.4f", c[0], c[1], c[2], c[3], c[4], c[5])
	rec("SORT    0   0   0   0   0")
	lattice := f.SpaceGroup[:1]
	rec("SYMINF %3d %2d %s %5d '%s' %s", len(f.Group.Ops), len(f.Group.Rotations()), lattice, f.SpaceGroupNumber,
		f.SpaceGroup, pointGroup(f.SpaceGroup))
	for _, op := range f.Group.Ops {
		rec("SYMM %s", op)
	}
	rec("RESO %-20.12f %-20.12f", resLo, resHi)
	rec("VALM NAN")
	for j, col := range columns {
		rec("COLUMN %-30s %s %17.9g %17.9g %4d", col.label, col.kind, lo[j], hi[j], col.dataset)
	}
	names := []string{orDefault(f.Project), orDefault(f.Crystal), orDefault(f.Dataset)}
	rec("NDIF %8d", 2)
	for id, ds := range [][3]string{{"HKL_base", "HKL_base", "HKL_base"}, {names[0], names[1], names[2]}} {
		rec("PROJECT %7d %s", id, ds[0])
		rec("CRYSTAL %7d %s", id, ds[1])
		rec("DATASET %7d %s", id, ds[2])
		rec("DCELL %9d %10.4f%10.4f%10.4f%10.4f%10.4f%10.4f", id, c[0], c[1], c[2], c[3], c[4], c[5])
		wl := 0.0
		if id == 1 {
			wl = f.WavelengthA
		}
		rec("DWAVEL %8d %10.5f", id, wl)
	}
	rec("END")
	rec("MTZENDOFHEADERS")
	if long != "" {
		return fmt.Errorf("mtz: header record %q is longer than %d characters", long, record)
	}
	return bw.Flush()
}

func orDefault(s string) string {
	if s == "" {
		return "gobragg"
	}
	return s
}

// check refuses what Write cannot write, naming the first problem.
func check(f File) error {
	for i, v := range f.Cell {
		if !(v > 0) || math.IsInf(v, 0) || (i >= 3 && v >= 180) {
			return fmt.Errorf("mtz: cell %v: lengths must be positive and angles in (0, 180) degrees", f.Cell)
		}
	}
	if f.SpaceGroup == "" || strings.ContainsAny(f.SpaceGroup, "'\n") || !strings.ContainsAny(f.SpaceGroup[:1], "PABCFIRH") {
		return fmt.Errorf("mtz: space group name %q: want a Hermann-Mauguin name such as \"P 41 21 2\"", f.SpaceGroup)
	}
	if f.SpaceGroupNumber < 1 || f.SpaceGroupNumber > 230 {
		return fmt.Errorf("mtz: space group number %d is outside 1..230", f.SpaceGroupNumber)
	}
	if f.Group == nil || len(f.Group.Ops) == 0 {
		return fmt.Errorf("mtz: no symmetry operators for %s", f.SpaceGroup)
	}
	if len(f.Reflections) == 0 {
		return fmt.Errorf("mtz: no reflections")
	}
	if math.IsNaN(f.WavelengthA) || math.IsInf(f.WavelengthA, 0) || f.WavelengthA < 0 {
		return fmt.Errorf("mtz: wavelength %g A is not a finite non-negative number", f.WavelengthA)
	}
	for _, s := range []string{f.Title, f.Project, f.Crystal, f.Dataset} {
		if len(s) > 64 || strings.ContainsAny(s, "\n\r") {
			return fmt.Errorf("mtz: name %q: at most 64 characters on one line", s)
		}
	}
	for _, r := range f.Reflections {
		for _, h := range []int{r.H, r.K, r.L} {
			if h <= -maxIndex || h >= maxIndex {
				return fmt.Errorf("mtz: reflection %d %d %d: indices beyond %d are not exact in 32-bit floats", r.H, r.K, r.L, maxIndex)
			}
		}
		for _, v := range []float64{r.F, r.SigF} {
			if math.IsNaN(v) || math.Abs(v) > math.MaxFloat32 {
				return fmt.Errorf("mtz: reflection %d %d %d: F %g, SIGF %g must be finite 32-bit numbers", r.H, r.K, r.L, r.F, r.SigF)
			}
		}
	}
	return nil
}
