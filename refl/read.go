package refl

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"

	"github.com/vmihailenco/msgpack/v5"
)

// MaxBytes bounds a reflection table read into memory: a million
// reflections with shoeboxes take a few hundred MB, and a table is read
// whole so that every column's length can be checked against it.
const MaxBytes = 1 << 30

// Table holds the columns gobragg reads from a reflection table, one entry
// per reflection. A column absent from the file is nil.
type Table struct {
	// Identifiers maps an experiment id (the "id" column) to the
	// experiment's identifier in the .expt.
	Identifiers map[int]string
	Rows        int
	// Columns lists every column in the file, with its element type.
	Columns map[string]string

	HKL [][3]int
	// XYZObsPx and XYZCalPx are the observed and calculated centroids in
	// pixels (fast, slow) and image number from 0 at the scan's start.
	XYZObsPx, XYZCalPx [][3]float64
	// XYZCalMM is the calculated centroid in mm on the panel and radians.
	XYZCalMM [][3]float64
	// BBox is x0, x1, y0, y1, z0, z1, half-open, in pixels and images.
	BBox  [][6]int
	Panel []int
	ID    []int
	// IntensitySum and IntensitySumVar are the summed intensity (counts)
	// and its variance.
	IntensitySum, IntensitySumVar []float64
	// LP is DIALS's Lorentz-polarization correction, the factor that
	// turns a summed intensity into one proportional to |F|^2 (with the
	// partiality); Partiality is the fraction of the reflection's
	// rocking curve inside the scan.
	LP, Partiality []float64
	Flags          []uint64
}

// column is how one element type is decoded: its size in bytes and where
// its values go.
type column struct {
	typ  string
	size int
	set  func(t *Table, raw []byte, n int) error
}

// wanted are the columns Read decodes, by name.
var wanted = map[string]column{
	"miller_index": {"cctbx::miller::index<>", 12, func(t *Table, b []byte, n int) error {
		t.HKL = make([][3]int, n)
		for i := range t.HKL {
			for k := 0; k < 3; k++ {
				t.HKL[i][k] = int32At(b, 3*i+k)
			}
		}
		return nil
	}},
	"xyzobs.px.value": {"vec3<double>", 24, vec3s(func(t *Table) *[][3]float64 { return &t.XYZObsPx })},
	"xyzcal.px":       {"vec3<double>", 24, vec3s(func(t *Table) *[][3]float64 { return &t.XYZCalPx })},
	"xyzcal.mm":       {"vec3<double>", 24, vec3s(func(t *Table) *[][3]float64 { return &t.XYZCalMM })},
	"bbox": {"int6", 24, func(t *Table, b []byte, n int) error {
		t.BBox = make([][6]int, n)
		for i := range t.BBox {
			for k := 0; k < 6; k++ {
				t.BBox[i][k] = int32At(b, 6*i+k)
			}
		}
		return nil
	}},
	"panel": {"std::size_t", 8, func(t *Table, b []byte, n int) error {
		t.Panel = make([]int, n)
		for i := range t.Panel {
			v := binary.LittleEndian.Uint64(b[8*i:])
			if v > math.MaxInt32 {
				return fmt.Errorf("row %d: panel %d is not a panel number", i, v)
			}
			t.Panel[i] = int(v)
		}
		return nil
	}},
	"id": {"int", 4, func(t *Table, b []byte, n int) error {
		t.ID = make([]int, n)
		for i := range t.ID {
			t.ID[i] = int32At(b, i)
		}
		return nil
	}},
	"intensity.sum.value":    {"double", 8, doubles(func(t *Table) *[]float64 { return &t.IntensitySum })},
	"intensity.sum.variance": {"double", 8, doubles(func(t *Table) *[]float64 { return &t.IntensitySumVar })},
	"lp":                     {"double", 8, doubles(func(t *Table) *[]float64 { return &t.LP })},
	"partiality":             {"double", 8, doubles(func(t *Table) *[]float64 { return &t.Partiality })},
	"flags": {"std::size_t", 8, func(t *Table, b []byte, n int) error {
		t.Flags = make([]uint64, n)
		for i := range t.Flags {
			t.Flags[i] = binary.LittleEndian.Uint64(b[8*i:])
		}
		return nil
	}},
}

// int32At and float64At read element i of a column's little-endian bytes.
func int32At(b []byte, i int) int { return int(int32(binary.LittleEndian.Uint32(b[4*i:]))) }

func float64At(b []byte, i int) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
}

func vec3s(dst func(*Table) *[][3]float64) func(*Table, []byte, int) error {
	return func(t *Table, b []byte, n int) error {
		v := make([][3]float64, n)
		for i := range v {
			for k := 0; k < 3; k++ {
				v[i][k] = float64At(b, 3*i+k)
			}
		}
		*dst(t) = v
		return nil
	}
}

func doubles(dst func(*Table) *[]float64) func(*Table, []byte, int) error {
	return func(t *Table, b []byte, n int) error {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64At(b, i)
		}
		*dst(t) = v
		return nil
	}
}

// tableName is the first element of every msgpack reflection table.
const tableName = "dials::af::reflection_table"

// Read decodes a reflection table. name is used in messages only. Every
// row count and column length is checked against the others and against
// the bytes actually present before anything is allocated from it.
func Read(r io.Reader, name string) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("refl %s: %w", name, err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("refl %s: larger than %d bytes", name, MaxBytes)
	}
	t, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("refl %s: %w", name, err)
	}
	return t, nil
}

func decode(data []byte) (*Table, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(data))
	n, err := dec.DecodeArrayLen()
	if err != nil || n != 3 {
		return nil, errors.New("not a DIALS reflection table (want a msgpack list of 3: name, version, table)")
	}
	if s, err := dec.DecodeString(); err != nil || s != tableName {
		return nil, fmt.Errorf("not a DIALS reflection table (first element %q, want %q)", s, tableName)
	}
	if v, err := dec.DecodeInt(); err != nil || v != 1 {
		return nil, fmt.Errorf("reflection table format version %d; gobragg reads version 1", v)
	}
	fields, err := dec.DecodeMapLen()
	if err != nil {
		return nil, fmt.Errorf("the table is not a map: %v", err)
	}
	t := &Table{Rows: -1, Columns: map[string]string{}, Identifiers: map[int]string{}}
	raw := map[string][]byte{}
	for i := 0; i < fields; i++ {
		key, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("table key %d: %v", i, err)
		}
		switch key {
		case "identifiers":
			if err := decodeIdentifiers(dec, t); err != nil {
				return nil, err
			}
		case "nrows":
			v, err := dec.DecodeUint64()
			if err != nil {
				return nil, fmt.Errorf("nrows: %v", err)
			}
			if v > uint64(len(data)) {
				return nil, fmt.Errorf("nrows %d is more than the file's %d bytes can hold", v, len(data))
			}
			t.Rows = int(v)
		case "data":
			if err := decodeColumns(dec, t, raw); err != nil {
				return nil, err
			}
		default:
			if err := dec.Skip(); err != nil {
				return nil, fmt.Errorf("table key %q: %v", key, err)
			}
		}
	}
	if _, err := dec.PeekCode(); err != io.EOF {
		return nil, errors.New("bytes follow the reflection table")
	}
	if t.Rows < 0 {
		return nil, errors.New("the table has no nrows")
	}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		c := wanted[k]
		if want := t.Rows * c.size; len(raw[k]) != want {
			return nil, fmt.Errorf("column %s holds %d bytes, want %d for %d rows of %s", k, len(raw[k]), want, t.Rows, c.typ)
		}
		if err := c.set(t, raw[k], t.Rows); err != nil {
			return nil, fmt.Errorf("column %s: %w", k, err)
		}
	}
	return t, nil
}

func decodeIdentifiers(dec *msgpack.Decoder, t *Table) error {
	n, err := dec.DecodeMapLen()
	if err != nil {
		return fmt.Errorf("identifiers: %v", err)
	}
	for i := 0; i < n; i++ {
		id, err := dec.DecodeInt()
		if err != nil {
			return fmt.Errorf("identifiers: key %d: %v", i, err)
		}
		s, err := dec.DecodeString()
		if err != nil {
			return fmt.Errorf("identifiers: %d: %v", id, err)
		}
		t.Identifiers[id] = s
	}
	return nil
}

// decodeColumns reads the data map: name -> [type, [rows, bytes]].
func decodeColumns(dec *msgpack.Decoder, t *Table, raw map[string][]byte) error {
	n, err := dec.DecodeMapLen()
	if err != nil {
		return fmt.Errorf("data: %v", err)
	}
	for i := 0; i < n; i++ {
		name, err := dec.DecodeString()
		if err != nil {
			return fmt.Errorf("data: column %d: %v", i, err)
		}
		if _, dup := t.Columns[name]; dup {
			return fmt.Errorf("column %s appears twice", name)
		}
		if l, err := dec.DecodeArrayLen(); err != nil || l != 2 {
			return fmt.Errorf("column %s: want [type, [rows, bytes]]", name)
		}
		typ, err := dec.DecodeString()
		if err != nil {
			return fmt.Errorf("column %s: type: %v", name, err)
		}
		t.Columns[name] = typ
		c, want := wanted[name]
		if !want {
			if err := dec.Skip(); err != nil {
				return fmt.Errorf("column %s: %v", name, err)
			}
			continue
		}
		if typ != c.typ {
			return fmt.Errorf("column %s has type %s, want %s", name, typ, c.typ)
		}
		if l, err := dec.DecodeArrayLen(); err != nil || l != 2 {
			return fmt.Errorf("column %s: want [rows, bytes]", name)
		}
		rows, err := dec.DecodeUint64()
		if err != nil {
			return fmt.Errorf("column %s: rows: %v", name, err)
		}
		b, err := dec.DecodeBytes()
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("column %s: the file ends inside its bytes (truncated?)", name)
		} else if err != nil {
			return fmt.Errorf("column %s: %v", name, err)
		}
		if rows > uint64(len(b)) || uint64(len(b)) != rows*uint64(c.size) {
			return fmt.Errorf("column %s: %d bytes for %d rows of %s", name, len(b), rows, typ)
		}
		raw[name] = b
	}
	return nil
}
