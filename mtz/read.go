package mtz

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"gobragg/symop"
)

// MaxBytes bounds the MTZ file Read reads (a merged table of 10^8
// reflections in 5 columns takes 2 GB).
const MaxBytes = 4 << 30

// Read reads the MTZ file at path; see Decode.
func Read(path string) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxBytes {
		return nil, fmt.Errorf("mtz %s: %d bytes, more than the %d an MTZ file may have here", path, st.Size(), int64(MaxBytes))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(data, path)
}

// Decode reads a merged little-endian MTZ file named name: its cell,
// space group (SYMINF name and number, SYMM operators, which must form a
// group) and the columns labelled H, K, L, F and SIGF. The error names the
// file and the first problem: not MTZ, a big-endian or non-IEEE machine
// stamp, headers outside the file, a row count that disagrees with the
// data, a missing record or column, indices that are not integers.
func Decode(data []byte, name string) (*File, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("mtz %s: %s", name, fmt.Sprintf(format, args...))
	}
	if len(data) < record || string(data[:4]) != "MTZ " {
		return nil, bad("not an MTZ file (it does not begin with \"MTZ \" and an 80-byte record)")
	}
	if data[8] != machineStamp[0] || data[9]&0xf0 != machineStamp[1]&0xf0 {
		return nil, bad("machine stamp %02x %02x: only little-endian IEEE files are read", data[8], data[9])
	}
	word := int64(int32(binary.LittleEndian.Uint32(data[4:])))
	if word == -1 { // gemmi's mark of a header beyond 2^31 words
		word = int64(binary.LittleEndian.Uint64(data[12:]))
	}
	if word < dataWord || (word-1)*4 > int64(len(data)) {
		return nil, bad("headers start at word %d, outside the file of %d bytes", word, len(data))
	}
	headerAt := int((word - 1) * 4)
	f := &File{}
	var ncol, nref int
	var labels []string
	var datasets []int
	var ops []symop.Op
	dsNames := map[int][4]string{} // project, crystal, dataset, wavelength
	ended := false
	for at := headerAt; at+record <= len(data) && !ended; at += record {
		line := strings.TrimRight(string(data[at:at+record]), " \x00")
		key, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		fields := strings.Fields(rest)
		switch key {
		case "NCOL":
			if len(fields) < 2 {
				return nil, bad("NCOL record %q", line)
			}
			var err1, err2 error
			ncol, err1 = strconv.Atoi(fields[0])
			nref, err2 = strconv.Atoi(fields[1])
			if err1 != nil || err2 != nil || ncol < 1 || nref < 0 {
				return nil, bad("NCOL record %q", line)
			}
		case "TITLE":
			f.Title = rest
		case "CELL":
			if len(fields) != 6 {
				return nil, bad("CELL record %q: want six numbers", line)
			}
			for i, s := range fields {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return nil, bad("CELL record %q: %q is not a number", line, s)
				}
				f.Cell[i] = v
			}
		case "SYMINF":
			q0, q1 := strings.IndexByte(rest, '\''), strings.LastIndexByte(rest, '\'')
			if len(fields) < 4 || q0 < 0 || q1 <= q0 {
				return nil, bad("SYMINF record %q: want counts, lattice, number and a quoted name", line)
			}
			n, err := strconv.Atoi(fields[3])
			if err != nil {
				return nil, bad("SYMINF record %q: space group number %q", line, fields[3])
			}
			f.SpaceGroupNumber, f.SpaceGroup = n, strings.TrimSpace(rest[q0+1:q1])
		case "SYMM":
			op, err := symop.Parse(rest)
			if err != nil {
				return nil, bad("SYMM record: %v", err)
			}
			ops = append(ops, op)
		case "COLUMN":
			if len(fields) < 2 {
				return nil, bad("COLUMN record %q", line)
			}
			id := 0
			if len(fields) >= 5 {
				id, _ = strconv.Atoi(fields[4])
			}
			labels, datasets = append(labels, fields[0]), append(datasets, id)
		case "PROJECT", "CRYSTAL", "DATASET", "DWAVEL":
			id, err := strconv.Atoi(fieldOr(fields, 0))
			if err != nil {
				continue
			}
			v := dsNames[id]
			i := map[string]int{"PROJECT": 0, "CRYSTAL": 1, "DATASET": 2, "DWAVEL": 3}[key]
			v[i] = strings.TrimSpace(strings.TrimPrefix(rest, fields[0]))
			dsNames[id] = v
		case "END":
			ended = true
		}
	}
	if !ended {
		return nil, bad("no END record after the headers")
	}
	if ncol == 0 {
		return nil, bad("no NCOL record")
	}
	if len(labels) != ncol {
		return nil, bad("%d COLUMN records for NCOL %d", len(labels), ncol)
	}
	if want := int64(ncol) * int64(nref) * 4; int64(headerAt-record) != want {
		return nil, bad("%d reflections of %d columns take %d bytes; the headers start %d bytes after the first record", nref, ncol, want, headerAt-record)
	}
	if len(ops) > 0 {
		g, err := symop.NewGroup(ops)
		if err != nil {
			return nil, bad("SYMM records: %v", err)
		}
		f.Group = g
	}
	col := map[string]int{}
	for i, l := range labels {
		col[l] = i
	}
	var idx [5]int
	for i, want := range []string{"H", "K", "L", "F", "SIGF"} {
		j, ok := col[want]
		if !ok {
			return nil, bad("no column %s (columns %s)", want, strings.Join(labels, " "))
		}
		idx[i] = j
	}
	if ds, ok := dsNames[datasets[idx[3]]]; ok {
		f.Project, f.Crystal, f.Dataset = ds[0], ds[1], ds[2]
		f.WavelengthA, _ = strconv.ParseFloat(ds[3], 64)
	}
	f.Reflections = make([]Reflection, nref)
	at := func(row, c int) float64 {
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(data[record+4*(row*ncol+c):])))
	}
	for r := range f.Reflections {
		var hkl [3]int
		for i := range 3 {
			v := at(r, idx[i])
			if v != math.Trunc(v) || math.Abs(v) >= maxIndex {
				return nil, bad("reflection %d: %s = %g is not an integer index", r+1, labels[idx[i]], v)
			}
			hkl[i] = int(v)
		}
		f.Reflections[r] = Reflection{H: hkl[0], K: hkl[1], L: hkl[2], F: at(r, idx[3]), SigF: at(r, idx[4])}
	}
	return f, nil
}

func fieldOr(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}
