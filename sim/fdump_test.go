package sim

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/config"
)

// TestFdumpRoundTrip: a run with -hkl writes Fdump.bin in its output
// directory, as nanoBragg does, and a later run without -hkl (and with
// -default_F 0) reads it back and renders the same image.
func TestFdumpRoundTrip(t *testing.T) {
	m := loadManifest(t)
	dir := t.TempDir()
	run := func(hkl bool) []float32 {
		args := []string{"-cell", "50", "50", "50", "90", "90", "90", "-misset", "5", "3", "2", "-N", "5",
			"-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", "64", "-oversample", "1",
			"-nonoise", "-nopgm", "-noprogress"}
		if hkl {
			args = append(args, "-hkl", "inputs/pattern.hkl")
		}
		s, err := config.Parse(args)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Prepare(s, Dirs{InputDir: m.Dir, OutputDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Simulate(io.Discard); err != nil {
			t.Fatal(err)
		}
		return readFloat(t, filepath.Join(dir, "floatimage.bin"))
	}
	withHKL := run(true)
	if _, err := os.Stat(filepath.Join(dir, "Fdump.bin")); err != nil {
		t.Fatalf("no Fdump.bin after a run with -hkl: %v", err)
	}
	fromDump := run(false)
	for i := range withHKL {
		if withHKL[i] != fromDump[i] {
			t.Fatalf("pixel %d: %g from -hkl, %g from Fdump.bin", i, withHKL[i], fromDump[i])
		}
	}
}

// TestNoStructureFactors: without -hkl, a non-zero -default_F or an
// Fdump.bin in the output directory there is nothing to render: one error
// naming the missing dump file.
func TestNoStructureFactors(t *testing.T) {
	s, err := config.Parse([]string{"-cell", "50", "50", "50", "90", "90", "90", "-detpixels", "8"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, err = Prepare(s, Dirs{OutputDir: dir})
	if err == nil || !strings.Contains(err.Error(), "no structure factors") || !strings.Contains(err.Error(), "Fdump.bin") {
		t.Fatalf("got %v, want an error about the missing structure factors and Fdump.bin", err)
	}
}
