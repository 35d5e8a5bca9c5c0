package refl

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// lcysteine is DIALS's integrated reflection table of the first ten
// L-cysteine frames (DIALS tutorial data, Zenodo 51405, CC-BY 4.0).
var lcysteine = filepath.Join("..", "..", "shared", "realdata", "l_cysteine", "11_integrated.refl")

func readOrSkip(t *testing.T, path string) *Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	defer f.Close()
	tab, err := Read(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestReadLCysteine(t *testing.T) {
	tab := readOrSkip(t, lcysteine)
	if tab.Rows != 92 || len(tab.HKL) != 92 || len(tab.XYZCalPx) != 92 || len(tab.BBox) != 92 {
		t.Fatalf("rows %d, hkl %d, xyzcal %d, bbox %d; want 92 each (the README's count)", tab.Rows, len(tab.HKL), len(tab.XYZCalPx), len(tab.BBox))
	}
	used, unindexed := 0, 0
	for i := range tab.HKL {
		if tab.Has(i, UsedInRefinement) {
			used++
		}
		if tab.HKL[i] == [3]int{} {
			unindexed++
			if tab.Has(i, Indexed) {
				t.Errorf("row %d: hkl 0 0 0 flagged indexed", i)
			}
		}
		// The observed centroid lies in its shoebox (DIALS's bbox is
		// half-open: x0 <= x < x1).
		b, c := tab.BBox[i], tab.XYZObsPx[i]
		if !(float64(b[0]) <= c[0] && c[0] < float64(b[1]) && float64(b[2]) <= c[1] && c[1] < float64(b[3]) && float64(b[4]) <= c[2] && c[2] < float64(b[5])) {
			t.Errorf("row %d: observed centroid %v outside its bbox %v", i, c, b)
		}
		if len(tab.Panel) != 92 || tab.Panel[i] != 0 {
			t.Errorf("row %d: panel column %v, want 0 (a one-panel detector)", i, tab.Panel)
		}
	}
	if used != 16 {
		t.Errorf("%d reflections used in refinement, the README says 16", used)
	}
	// 7 strong spots that DIALS could not index ride along (hkl 0 0 0).
	if unindexed != 7 {
		t.Errorf("%d unindexed rows, want 7", unindexed)
	}
}

func TestAmplitudesLCysteine(t *testing.T) {
	tab := readOrSkip(t, lcysteine)
	amps := tab.Amplitudes()
	obs := 0
	for i, a := range amps {
		if a.N < 1 || !(a.F >= 0) || a.HKL == [3]int{} {
			t.Errorf("%v: F %g from %d observations", a.HKL, a.F, a.N)
		}
		if i > 0 && !(lessHKL(amps[i-1].HKL, a.HKL)) {
			t.Errorf("not sorted at %v", a.HKL)
		}
		obs += a.N
	}
	integrated := 0
	for i, hkl := range tab.HKL {
		if hkl != [3]int{} && tab.Has(i, IntegratedSum) {
			integrated++
		}
	}
	if len(amps) == 0 || obs != integrated || len(amps) > obs {
		t.Errorf("%d amplitudes from %d observations; want every one of the %d integrated rows used", len(amps), obs, integrated)
	}
	if !IsTable(mustRead(t, lcysteine)[:64]) || IsTable([]byte(`{"__id__": "ExperimentList"}`)) {
		t.Error("IsTable does not tell a reflection table from JSON")
	}
}

func lessHKL(a, b [3]int) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// DIALS's corrections: rows whose I lp / partiality is not finite (a
// partiality of 0) are left out, and every other amplitude is finite.
func TestAmplitudesOfCorrectedLCysteine(t *testing.T) {
	tab := readOrSkip(t, lcysteine)
	if tab.LP == nil || tab.Partiality == nil {
		t.Fatal("the L-cysteine table has lp and partiality columns")
	}
	amps := tab.AmplitudesOf(func(row int, I float64) float64 { return I * tab.LP[row] / tab.Partiality[row] })
	if len(amps) == 0 {
		t.Fatal("no corrected amplitude")
	}
	for _, a := range amps {
		if !(a.F >= 0) || math.IsInf(a.F, 0) {
			t.Errorf("%v: corrected F %g", a.HKL, a.F)
		}
	}
	if raw := tab.Amplitudes(); len(amps) > len(raw) {
		t.Errorf("%d corrected amplitudes, more than the %d raw", len(amps), len(raw))
	}
}
