package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWarnings covers the values gobragg accepts but reports with one
// warning line on stderr (issue 11): a leftover Fdump.bin read in place of
// -hkl, C's reading of a partial -cell kept in c-parity mode, and the cap
// on auto-selected oversampling.
func TestWarnings(t *testing.T) {
	tiny := append(append([]string{}, baseArgs...), "-detpixels", "4", "-nonoise", "-nopgm")
	cases := []struct {
		name  string
		setup []string // a run made first in the same directory
		args  []string
		want  string // a regular expression for the one stderr line
	}{
		{name: "leftover Fdump.bin", setup: []string{"-hkl", "good.hkl"}, args: nil,
			want: `^gobragg: warning: no -hkl: read \d+ structure factors from Fdump\.bin, written \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(give -hkl to replace it, -nodump to ignore it\)\n$`},
		{name: "partial cell in c-parity mode", args: []string{"-mode", "c-parity", "-cell", "100", "100"},
			want: `^gobragg: warning: -cell: got 2 of the 6 values a b c alpha beta gamma; c-parity reads missing or zero b, c as a and angles as 90 degrees, as nanoBragg does\n$`},
		{name: "auto oversampling capped", args: []string{"-oversample", "0", "-distance", "0.001"},
			want: `^gobragg: warning: -oversample: auto-selected oversampling capped at 32 \(nanoBragg would use 150000, which cannot finish\); give -oversample N to choose\n$`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "good.hkl"), []byte("1 2 3 10\n0 0 1 5\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				mustRun(t, dir, append(append([]string{}, tiny...), tc.setup...)...)
			}
			r := mustRun(t, dir, append(append([]string{}, tiny...), tc.args...)...)
			if !regexp.MustCompile(tc.want).MatchString(r.stderr) {
				t.Errorf("stderr %q, want one line matching %s", r.stderr, tc.want)
			}
		})
	}
}

// TestNoDump: -nodump neither writes Fdump.bin after -hkl nor reads one
// without it (so no warning, and -default_F alone renders).
func TestNoDump(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "good.hkl"), []byte("1 2 3 10\n0 0 1 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tiny := append(append([]string{}, baseArgs...), "-detpixels", "4", "-nonoise", "-nopgm")
	r := mustRun(t, dir, append(append([]string{}, tiny...), "-hkl", "good.hkl", "-nodump")...)
	if _, err := os.Stat(filepath.Join(dir, "Fdump.bin")); !os.IsNotExist(err) {
		t.Errorf("-nodump wrote Fdump.bin (stat: %v)", err)
	}
	if strings.Contains(r.stdout, "writing dump file") {
		t.Errorf("-nodump still says it writes the dump file")
	}
	mustRun(t, dir, append(append([]string{}, tiny...), "-hkl", "good.hkl")...) // leaves Fdump.bin
	r = mustRun(t, dir, append(append([]string{}, tiny...), "-nodump")...)
	if r.stderr != "" || strings.Contains(r.stdout, "reading Fs from") {
		t.Errorf("-nodump read Fdump.bin: stderr %q", r.stderr)
	}
}
