package refl

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// encode writes a reflection table as dials does: [name, 1, {identifiers,
// nrows, data}], each column [type, [rows, bytes]].
func encode(t testing.TB, nrows uint64, cols map[string][2]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	data := map[string]any{}
	for name, c := range cols {
		data[name] = []any{c[0], c[1]}
	}
	err := enc.Encode([]any{tableName, 1, map[string]any{
		"identifiers": map[int]string{0: "abc"}, "nrows": nrows, "data": data}})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func doublesBytes(xs ...float64) []byte {
	b := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func TestReadSmallTable(t *testing.T) {
	hkl := make([]byte, 24)
	for i, v := range []int32{1, -2, 3, 0, 0, 5} {
		binary.LittleEndian.PutUint32(hkl[4*i:], uint32(v))
	}
	b := encode(t, 2, map[string][2]any{
		"miller_index":        {"cctbx::miller::index<>", []any{2, hkl}},
		"xyzcal.px":           {"vec3<double>", []any{2, doublesBytes(1, 2, 3, 4, 5, 6)}},
		"intensity.sum.value": {"double", []any{2, doublesBytes(7, 8)}},
		"s1":                  {"vec3<double>", []any{2, doublesBytes(0, 0, 1, 0, 0, 1)}},
	})
	tab, err := Read(bytes.NewReader(b), "small.refl")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 2 || tab.HKL[0] != [3]int{1, -2, 3} || tab.HKL[1] != [3]int{0, 0, 5} ||
		tab.XYZCalPx[1] != [3]float64{4, 5, 6} || tab.IntensitySum[1] != 8 || tab.Identifiers[0] != "abc" ||
		tab.Columns["s1"] != "vec3<double>" || tab.XYZObsPx != nil {
		t.Fatalf("decoded %+v", tab)
	}
}

// TestReadRefusesHostileTables: sizes that do not match the bytes present
// are refused, by name, before anything is allocated from them.
func TestReadRefusesHostileTables(t *testing.T) {
	good := map[string][2]any{"intensity.sum.value": {"double", []any{2, doublesBytes(7, 8)}}}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"huge nrows", encode(t, 1<<62, good), "nrows 4611686018427387904 is more than"},
		{"nrows disagrees", encode(t, 3, good), "column intensity.sum.value holds 16 bytes, want 24 for 3 rows"},
		{"column rows huge", encode(t, 2, map[string][2]any{"intensity.sum.value": {"double", []any{uint64(1) << 61, doublesBytes(7, 8)}}}), "16 bytes for 2305843009213693952 rows"},
		{"wrong type", encode(t, 2, map[string][2]any{"intensity.sum.value": {"int", []any{2, doublesBytes(7, 8)}}}), "has type int, want double"},
		{"odd bytes", encode(t, 2, map[string][2]any{"intensity.sum.value": {"double", []any{2, []byte{1, 2, 3}}}}), "3 bytes for 2 rows"},
		{"not a table", []byte{0x93, 0xa1, 'x', 0x01, 0x80}, "not a DIALS reflection table"},
		{"json", []byte(`{"__id__": "ExperimentList"}`), "not a DIALS reflection table"},
		{"empty", nil, "not a DIALS reflection table"},
		{"truncated", encode(t, 2, good)[:40], "refl t.refl"},
		{"trailing bytes", append(encode(t, 2, good), 0xc0), "bytes follow the reflection table"},
		{"claims a 4 GB column", bigColumn(t, encode(t, 2, good)), "column intensity.sum.value: the file ends inside its bytes"},
	}
	for _, c := range cases {
		_, err := Read(bytes.NewReader(c.data), "t.refl")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "refl t.refl: ") {
			t.Errorf("%s: got %v, want an error naming t.refl with %q", c.name, err, c.want)
		}
	}
}

// bigColumn turns the 16-byte bin8 of the column's bytes into a bin32 that
// claims 4 GB (0xfffffff0 bytes) the file does not hold.
func bigColumn(t *testing.T, b []byte) []byte {
	j := bytes.Index(b, doublesBytes(7, 8)) - 2
	if j < 0 || b[j] != 0xc4 || b[j+1] != 16 {
		t.Fatalf("no bin8 header before the column's bytes")
	}
	return append(append(append([]byte{}, b[:j]...), 0xc6, 0xff, 0xff, 0xff, 0xf0), b[j+2:]...)
}
