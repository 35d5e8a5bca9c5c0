package sim

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/config"
	reflfile "gobragg/refl"
)

// lcysRefl: DIALS's integrated reflections of the first ten L-cysteine
// frames (DIALS tutorial data, Zenodo 51405, CC-BY 4.0).
var lcysRefl = filepath.Join("..", "..", "shared", "realdata", "l_cysteine", "11_integrated.refl")

// TestHKLFromReflectionTable: -hkl FILE.refl starts every integrated
// reflection at F = sqrt(max(I, 0)) of DIALS's summed intensity, in spec
// mode; c-parity refuses the binary file by name.
func TestHKLFromReflectionTable(t *testing.T) {
	f, err := os.Open(lcysRefl)
	if err != nil {
		t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	tab, err := reflfile.Read(f, lcysRefl)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-cell", "5.428", "8.141", "12.038", "90", "90", "90", "-hkl", lcysRefl, "-N", "2", "-detpixels", "8", "-nodump"}
	s, err := config.Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(s, Dirs{OutputDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i, hkl := range tab.HKL {
		if hkl == [3]int{} || !tab.Has(i, reflfile.IntegratedSum) {
			continue
		}
		want := math.Sqrt(math.Max(tab.IntensitySum[i], 0))
		if got := p.Grid.Lookup(hkl[0], hkl[1], hkl[2], -1); got != want {
			t.Errorf("%v: F %g, want sqrt(%g) = %g", hkl, got, tab.IntensitySum[i], want)
		}
		checked++
	}
	if checked == 0 || p.Grid.Count != checked {
		t.Errorf("checked %d reflections, table holds %d", checked, p.Grid.Count)
	}

	s, err = config.Parse(append([]string{"-mode", "c-parity"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Prepare(s, Dirs{OutputDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "a DIALS reflection table; c-parity reads h k l F text") {
		t.Errorf("c-parity: got %v", err)
	}
}
