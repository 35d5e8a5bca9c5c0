package mtz

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gemmiScript prints what gemmi reads of an MTZ file as JSON.
const gemmiScript = `
import json, sys, gemmi
m = gemmi.read_mtz_file(sys.argv[1])
reso = [m.min_1_d2, m.max_1_d2]
m.update_reso()
print(json.dumps({
    "reso": reso, "gemmi_reso": [m.min_1_d2, m.max_1_d2],
    "cell": [m.cell.a, m.cell.b, m.cell.c, m.cell.alpha, m.cell.beta, m.cell.gamma],
    "hm": m.spacegroup.hm, "number": m.spacegroup.number,
    "syminf": [m.spacegroup_name, m.spacegroup_number, m.nsymop],
    "ops": sorted(op.triplet() for op in m.spacegroup.operations()),
    "columns": [[c.label, c.type, c.dataset_id] for c in m.columns],
    "rows": [[float(v) for v in row] for row in m.array],
    "wavelength": m.dataset(1).wavelength, "dataset": m.dataset(1).dataset_name,
}))
`

// gemmiPython returns a python3 that imports gemmi, or skips the test.
func gemmiPython(t *testing.T) string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import gemmi").Run() == nil {
			return py
		}
	}
	t.Skip("gemmi is not installed: apt-get install python3-gemmi (Debian) or pip install gemmi")
	return ""
}

// TestGemmiReads: gemmi reads a written table with its cell, space group
// (by name, number and operators), column labels and types, and every
// value as written.
func TestGemmiReads(t *testing.T) {
	py := gemmiPython(t)
	f := thaumatin(t, 300, 7)
	path := filepath.Join(t.TempDir(), "thaumatin.mtz")
	if err := os.WriteFile(path, encode(t, f), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", gemmiScript, path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("gemmi: %v: %s", err, stderr.String())
	}
	var got struct {
		Reso       [2]float64
		GemmiReso  [2]float64 `json:"gemmi_reso"`
		Cell       [6]float64
		Syminf     [3]any
		HM         string
		Number     int
		Ops        []string
		Columns    [][3]any
		Rows       [][5]float64
		Wavelength float64
		Dataset    string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// CELL is written with 4 decimals.
	for i, v := range got.Cell {
		if math.Abs(v-f.Cell[i]) > 5e-5 {
			t.Errorf("cell %v, wrote %v", got.Cell, f.Cell)
			break
		}
	}
	// RESO is written with 12 decimals; gemmi computes it in float64.
	for i := range 2 {
		if math.Abs(got.Reso[i]-got.GemmiReso[i]) > 1e-11 {
			t.Errorf("RESO %v, gemmi computes %v", got.Reso, got.GemmiReso)
		}
	}
	// SYMINF as gemmi parses it (its space group comes from the name).
	if fmt.Sprint(got.Syminf) != "[P 41 21 2 92 8]" {
		t.Errorf("SYMINF read as %v", got.Syminf)
	}
	if got.HM != "P 41 21 2" || got.Number != 92 || len(got.Ops) != 8 {
		t.Errorf("space group %q %d with %d operators", got.HM, got.Number, len(got.Ops))
	}
	want := []string{"H H 0", "K H 0", "L H 0", "F F 1", "SIGF Q 1"}
	if len(got.Columns) != len(want) {
		t.Fatalf("columns %v", got.Columns)
	}
	for i, c := range got.Columns {
		if s := c[0].(string) + " " + c[1].(string) + " " + jsonInt(c[2]); s != want[i] {
			t.Errorf("column %d: %s, want %s", i, s, want[i])
		}
	}
	if got.Wavelength != float64(float32(f.WavelengthA)) && math.Abs(got.Wavelength-f.WavelengthA) > 5e-6 || got.Dataset != "still" {
		t.Errorf("dataset %q at %g A", got.Dataset, got.Wavelength)
	}
	if len(got.Rows) != len(f.Reflections) {
		t.Fatalf("%d rows, %d written", len(got.Rows), len(f.Reflections))
	}
	for i, r := range f.Reflections {
		w := [5]float64{float64(r.H), float64(r.K), float64(r.L), float64(float32(r.F)), float64(float32(r.SigF))}
		if got.Rows[i] != w {
			t.Errorf("row %d: gemmi %v, wrote %v", i, got.Rows[i], w)
		}
	}
}

func jsonInt(v any) string {
	if x, ok := v.(float64); ok {
		return strconv.Itoa(int(x))
	}
	return "?"
}
