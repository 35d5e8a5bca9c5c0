package imageio

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// twoPanelCBF is a multi-panel CBF of a 3x2 and a 2x2 panel.
func twoPanelCBF(t testing.TB) ([]byte, []CBFPanel) {
	panels := []CBFPanel{
		{SizeFast: 3, SizeSlow: 2, PixelSizeMM: 0.1, Counts: []int32{0, 1, -1, 1 << 30, -2, 7}},
		{SizeFast: 2, SizeSlow: 2, PixelSizeMM: 0.1, Counts: []int32{5, 6, 7, -1 << 31}},
	}
	leaf := func(i int) *CBFNode { return &CBFNode{Panel: i, Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}} }
	root := &CBFNode{Panel: -1, Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}, Children: []*CBFNode{leaf(0), leaf(1)}}
	var buf bytes.Buffer
	if err := WriteMultiCBF(&buf, MultiCBF{Root: root, Panels: panels, WavelengthA: 1}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), panels
}

// TestReadCBFArrays: the arrays WriteMultiCBF writes read back with their
// sizes and counts; damaged files are refused with the array named.
func TestReadCBFArrays(t *testing.T) {
	data, want := twoPanelCBF(t)
	got, err := ReadCBFArrays(bytes.NewReader(data), "two.cbf")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d arrays, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].SizeFast != want[i].SizeFast || got[i].SizeSlow != want[i].SizeSlow || !slices.Equal(got[i].Counts, want[i].Counts) {
			t.Errorf("array %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, c := range []struct{ name, from, to, msg string }{
		{"damaged", "\x07\x00\x00\x00", "\x08\x00\x00\x00", "array 0: the binary section's MD5 digest"},
		{"too many elements", "X-Binary-Number-of-Elements: 4", "X-Binary-Number-of-Elements: 5", "array 1: 5 elements for a 2x2 array"},
		{"huge", "X-Binary-Size-Fastest-Dimension: 3", "X-Binary-Size-Fastest-Dimension: 3000000000", "more than the 2147483647"},
		{"short", "X-Binary-Size: 16", "X-Binary-Size: 17", "array 1: X-Binary-Size 17 cannot hold 4 elements"},
		{"not cbf", "###CBF", "###XYZ", "not a CBF file"},
		{"float elements", `X-Binary-Element-Type: "signed 32-bit integer"`, `X-Binary-Element-Type: "signed 64-bit real IEEE"`, "is not \"signed 32-bit integer\""},
	} {
		bad := bytes.Replace(data, []byte(c.from), []byte(c.to), 1)
		if _, err := ReadCBFArrays(bytes.NewReader(bad), "bad.cbf"); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.msg)
		}
	}
	if _, err := ReadCBFArrays(bytes.NewReader(data[:len(data)-50]), "cut.cbf"); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated: got %v", err)
	}
}

// TestReadPanels: a multi-panel CBF and a float image of the panels one
// after another read in the panels' order; a file that does not fit the
// panels is refused naming both sizes.
func TestReadPanels(t *testing.T) {
	dir := t.TempDir()
	data, panels := twoPanelCBF(t)
	cbf := filepath.Join(dir, "two.cbf")
	if err := os.WriteFile(cbf, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var floats []float32
	var want []float64
	for _, p := range panels {
		for _, c := range p.Counts {
			floats = append(floats, float32(c))
			want = append(want, float64(c))
		}
	}
	bin := filepath.Join(dir, "two.bin")
	var buf bytes.Buffer
	if err := WriteFloat32(&buf, floats); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sizes := []Dims{{3, 2}, {2, 2}}
	for _, c := range []struct {
		path   string
		format string
	}{{cbf, "cbf"}, {bin, "float32"}} {
		fr, err := ReadPanels(c.path, sizes)
		if err != nil {
			t.Fatal(err)
		}
		if fr.Format != c.format || len(fr.Panels) != 2 || len(fr.Pix) != len(want) {
			t.Fatalf("%s: format %s, %d panels, %d values", c.path, fr.Format, len(fr.Panels), len(fr.Pix))
		}
		for i := range want {
			if fr.Pix[i] != float64(float32(want[i])) {
				t.Fatalf("%s: value %d is %g, want %g", c.path, i, fr.Pix[i], want[i])
			}
		}
	}
	for _, c := range []struct {
		path  string
		sizes []Dims
		msg   string
	}{
		{cbf, []Dims{{3, 2}}, "2 arrays (panels), the detector has 1 panels"},
		{cbf, []Dims{{3, 2}, {4, 1}}, "array 1 is 2x2 pixels (fast x slow), the detector's panel 1 4x1"},
		{bin, []Dims{{3, 2}, {2, 3}}, "the 2 panels have 12 pixels in all"},
		{bin, []Dims{{0, 2}}, "panel 0 is 0x2 pixels"},
	} {
		if _, err := ReadPanels(c.path, c.sizes); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s %v: got %v, want %q", filepath.Base(c.path), c.sizes, err, c.msg)
		}
	}
}

// FuzzReadCBFArrays: ReadCBFArrays never panics, and every array it
// accepts has as many counts as its size.
func FuzzReadCBFArrays(f *testing.F) {
	data, _ := twoPanelCBF(f)
	f.Add(data)
	f.Add(data[:len(data)/2])
	for _, c := range fuzzSeeds(f, "cbf") {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		arrays, err := ReadCBFArrays(bytes.NewReader(data), "fuzz.cbf")
		if err != nil {
			return
		}
		for i, a := range arrays {
			if len(a.Counts) != a.SizeFast*a.SizeSlow {
				t.Fatalf("array %d: %d counts for %dx%d", i, len(a.Counts), a.SizeFast, a.SizeSlow)
			}
		}
	})
}
