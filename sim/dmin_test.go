package sim

import (
	"bytes"
	"strings"
	"testing"
)

// TestDminFirstPhiLoop: with -dmin cutting off the whole first row of a
// detector, the first pixel whose phi loop runs is further on, and it is
// that pixel's first subpath which uses C's unrotated phi = 0 lattice (no
// carry-over); the pixels before never reach the loop. (Checked against C
// nanoBragg while developing: the images agree bit for bit.)
func TestDminFirstPhiLoop(t *testing.T) {
	args := []string{"-mode", "c-parity", "-cell", "70", "70", "70", "90", "90", "90", "-default_F", "1", "-N", "3",
		"-distance", "40", "-detpixels", "64", "-pixel", "0.2", "-phi", "0", "-osc", "0.5", "-phisteps", "4",
		"-dmin", "5", "-oversample", "1", "-nonoise", "-nopgm"}
	p := mustPrepare(t, "", args...)
	s := p.Settings
	res, err := p.Render()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Model.Close()
	first := -1
	for i, v := range res.Float32 {
		if v != 0 {
			first = i
			break
		}
	}
	if first <= 0 {
		t.Fatalf("expected -dmin to blank the first pixels, first nonzero pixel %d", first)
	}
	carry := func(idx int) string {
		var b bytes.Buffer
		if _, err := res.Model.Trace(&b, idx/s.FPixels, idx%s.FPixels, nil); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(l, "TRACE_GO: phi0_carryover") {
				return strings.TrimPrefix(l, "TRACE_GO: phi0_carryover ")
			}
		}
		return "none"
	}
	if got := carry(first); got != "0" {
		t.Errorf("first rendered pixel %d: phi0_carryover %s, want 0 (unrotated lattice)", first, got)
	}
	if got := carry(first + 1); got != "1" {
		t.Errorf("next pixel %d: phi0_carryover %s, want 1", first+1, got)
	}
}
