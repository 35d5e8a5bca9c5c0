package mtz

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gobragg/symop"
)

// p41212 is thaumatin's space group, P 41 21 2 (92), as gemmi prints its
// operators.
const p41212 = "x,y,z\n-y+1/2,x+1/2,z+1/4\n-x,-y,z+1/2\ny+1/2,-x+1/2,z+3/4\nx+1/2,-y+1/2,-z+3/4\n-y,-x,-z+1/2\n-x+1/2,y+1/2,-z+1/4\ny,x,-z\n"

// thaumatin is a table of random reflections in thaumatin's cell and
// space group, unique under its symmetry.
func thaumatin(t testing.TB, n int, seed uint64) File {
	t.Helper()
	g, err := symop.ReadGroup(strings.NewReader(p41212), "P41212")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	seen := map[[3]int]bool{}
	var refl []Reflection
	for len(refl) < n {
		h := g.ASU([3]int{rng.IntN(41) - 20, rng.IntN(41) - 20, rng.IntN(101) - 50}, false)
		if h == [3]int{} || seen[h] {
			continue
		}
		seen[h] = true
		f := 1000 * rng.ExpFloat64()
		refl = append(refl, Reflection{H: h[0], K: h[1], L: h[2], F: f, SigF: 0.05*f + rng.Float64()})
	}
	return File{Title: "gobragg test table", Cell: [6]float64{57.8, 57.8, 150.0, 90, 90, 90}, SpaceGroup: "P 41 21 2",
		SpaceGroupNumber: 92, Group: g, WavelengthA: 0.96859, Project: "thaumatin", Crystal: "xtal", Dataset: "still", Reflections: refl}
}

func encode(t testing.TB, f File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRoundTrip writes random tables and reads them back: every value as
// its 32-bit float, the cell, the space group and its operators in order.
func TestRoundTrip(t *testing.T) {
	for seed := range uint64(3) {
		want := thaumatin(t, 200+int(seed)*300, seed)
		raw := encode(t, want)
		if len(raw)%4 != 0 || len(raw) != record+4*5*len(want.Reflections)+record*(6+8+2+5+1+10+2) {
			t.Errorf("%d bytes for %d reflections", len(raw), len(want.Reflections))
		}
		got, err := Decode(raw, "t.mtz")
		if err != nil {
			t.Fatal(err)
		}
		if got.Cell != want.Cell || got.SpaceGroup != want.SpaceGroup || got.SpaceGroupNumber != 92 || got.Title != want.Title ||
			got.Project != "thaumatin" || got.Crystal != "xtal" || got.Dataset != "still" || got.WavelengthA != want.WavelengthA {
			t.Errorf("header: got %+v", *got)
		}
		if len(got.Group.Ops) != len(want.Group.Ops) {
			t.Fatalf("%d operators read, %d written", len(got.Group.Ops), len(want.Group.Ops))
		}
		for i, op := range want.Group.Ops {
			if got.Group.Ops[i] != op {
				t.Errorf("operator %d: %s, wrote %s", i, got.Group.Ops[i], op)
			}
		}
		if len(got.Reflections) != len(want.Reflections) {
			t.Fatalf("%d reflections read, %d written", len(got.Reflections), len(want.Reflections))
		}
		for i, w := range want.Reflections {
			w.F, w.SigF = float64(float32(w.F)), float64(float32(w.SigF))
			if got.Reflections[i] != w {
				t.Errorf("reflection %d: %+v, wrote %+v", i, got.Reflections[i], w)
			}
		}
	}
}

func TestPointGroup(t *testing.T) {
	for name, want := range map[string]string{"P 1": "PG1", "P -1": "PG-1", "P 1 21 1": "PG2", "C 1 2 1": "PG2",
		"P 21 21 21": "PG222", "P 41 21 2": "PG422", "P 4": "PG4", "P 61": "PG6", "R 3:H": "PG3", "P 1 21/c 1": "PG2/m",
		"F m -3 m": "PGm-3m", "I 41/a": "PG4/m", "P 63/m m c": "PG6/mmm"} {
		if got := pointGroup(name); got != want {
			t.Errorf("pointGroup(%q) = %s, want %s", name, got, want)
		}
	}
}

// TestWriteRefuses: what cannot be written gives an error and no bytes.
func TestWriteRefuses(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*File)
		want   string
	}{
		{"no volume", func(f *File) { f.Cell[5] = 180 }, "angles in (0, 180)"},
		{"flat cell", func(f *File) { f.Cell = [6]float64{10, 10, 10, 120, 120, 120} }, "no volume"},
		{"negative length", func(f *File) { f.Cell[0] = -1 }, "lengths must be positive"},
		{"no name", func(f *File) { f.SpaceGroup = "" }, "space group name"},
		{"number", func(f *File) { f.SpaceGroupNumber = 231 }, "outside 1..230"},
		{"no operators", func(f *File) { f.Group = nil }, "no symmetry operators"},
		{"no reflections", func(f *File) { f.Reflections = nil }, "no reflections"},
		{"NaN F", func(f *File) { f.Reflections[3].F = math.NaN() }, "must be finite"},
		{"huge index", func(f *File) { f.Reflections[0].L = 1 << 25 }, "not exact in 32-bit floats"},
		{"long title", func(f *File) { f.Title = strings.Repeat("x", 65) }, "at most 64 characters"},
		{"wavelength", func(f *File) { f.WavelengthA = math.Inf(1) }, "wavelength"},
	} {
		f := thaumatin(t, 10, 1)
		c.change(&f)
		var b bytes.Buffer
		err := Write(&b, f)
		if err == nil || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
			t.Errorf("%s: error %v, %d bytes written; want %q and none", c.name, err, b.Len(), c.want)
		}
	}
}

// TestDecodeRefuses: damaged files are refused with the file's name and
// the problem, never a panic.
func TestDecodeRefuses(t *testing.T) {
	good := encode(t, thaumatin(t, 20, 2))
	headerAt := record + 4*5*20
	edit := func(fn func([]byte) []byte) []byte { return fn(append([]byte(nil), good...)) }
	replace := func(old, new string) []byte {
		return edit(func(b []byte) []byte { return bytes.Replace(b, []byte(old), []byte(new), 1) })
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not an MTZ file"},
		{"not mtz", []byte(strings.Repeat("x", 200)), "not an MTZ file"},
		{"big-endian", edit(func(b []byte) []byte { b[8], b[9] = 0x11, 0x11; return b }), "only little-endian IEEE"},
		{"header beyond", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], 1<<30); return b }), "outside the file"},
		{"truncated", good[:headerAt+3*record], "no END record"},
		{"rows", replace("NCOL        5           20", "NCOL        5           21"), "21 reflections of 5 columns"},
		{"no F", replace("COLUMN F   ", "COLUMN FP  "), "no column F "},
		{"not a group", replace("SYMM -Y+1/2,X+1/2,Z+1/4", "SYMM -Y+1/2,X+1/2,Z+1/8"), "not a group"},
		{"bad SYMM", replace("SYMM -X,-Y,Z+1/2", "SYMM -X,-Y,Q+1/2"), "SYMM record"},
		{"bad cell", replace("CELL    57.8000", "CELL    57.8x00"), "CELL record"},
		{"fractional index", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[record:], math.Float32bits(1.5))
			return b
		}), "not an integer index"},
	} {
		f, err := Decode(c.data, "bad.mtz")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "mtz bad.mtz: ") {
			t.Errorf("%s: %v (%v), want an error with %q", c.name, err, f != nil, c.want)
		}
	}
}

// FuzzDecode: any bytes give a table or an error, never a panic.
func FuzzDecode(f *testing.F) {
	good := encode(f, thaumatin(f, 5, 4))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:record])
	f.Fuzz(func(t *testing.T, data []byte) {
		Decode(data, "fuzz.mtz")
	})
}
