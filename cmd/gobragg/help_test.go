package main

import (
	"strings"
	"testing"
)

// helpEntry is one option as -help lists it.
type helpEntry struct {
	group string
	head  string // the option line: names and arguments with units
	text  string // the description lines below it
}

// parseHelp reads -help output: group headings are unindented lines ending
// in ":", option lines are indented "  -name[, -alias] args", descriptions
// are indented further. It returns the groups in order and the entries by
// every name.
func parseHelp(out string) ([]string, map[string]*helpEntry) {
	var groups []string
	byName := map[string]*helpEntry{}
	var cur *helpEntry
	for _, ln := range strings.Split(out, "\n") {
		switch {
		case ln != "" && ln[0] != ' ' && strings.HasSuffix(ln, ":"):
			groups = append(groups, strings.TrimSuffix(ln, ":"))
			cur = nil
		case strings.HasPrefix(ln, "  -") && len(groups) > 0:
			cur = &helpEntry{group: groups[len(groups)-1], head: strings.TrimSpace(ln)}
			for _, f := range strings.Fields(cur.head) {
				f = strings.TrimSuffix(f, ",")
				if !strings.HasPrefix(f, "-") {
					break
				}
				byName[f] = cur
			}
		case strings.HasPrefix(ln, "    ") && cur != nil:
			cur.text += strings.TrimSpace(ln) + " "
		}
	}
	return groups, byName
}

// TestHelpListsOptionsByGroupWithUnits checks that -help (also -h, --help,
// and -help after other options) exits 0 with the option list on stdout,
// grouped under the expected headings in order, and spot-checks the group
// and the units of a few options.
func TestHelpListsOptionsByGroupWithUnits(t *testing.T) {
	dir := t.TempDir()
	r := mustRun(t, dir, "-help")
	if r.stderr != "" {
		t.Errorf("-help wrote to stderr: %q", r.stderr)
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"-distance", "100", "-help"}} {
		r2 := mustRun(t, dir, args...)
		if r2.stdout != r.stdout {
			t.Errorf("gobragg %v prints other help than -help", args)
		}
	}
	if files := listDir(t, dir); len(files) != 0 {
		t.Errorf("-help wrote files: %v", files)
	}

	groups, opts := parseHelp(r.stdout)
	wantGroups := []string{"Crystal", "Structure factors", "Beam", "Detector geometry", "Sampling", "Noise and output"}
	k := 0
	for _, g := range groups {
		if k < len(wantGroups) && g == wantGroups[k] {
			k++
		}
	}
	if k < len(wantGroups) {
		t.Errorf("groups %q do not include %q in that order", groups, wantGroups)
	}

	for _, c := range []struct {
		name, group string
		head        []string // substrings of the option line (units, aliases)
		text        string   // substring of the description ("" = any)
	}{
		{"-cell", "Crystal", []string{"a b c alpha beta gamma"}, "Angstrom"},
		{"-mosaic", "Crystal", []string{"<deg>"}, ""},
		{"-N", "Crystal", []string{"<cells>"}, ""},
		{"-hkl", "Structure factors", []string{"<file>"}, ""},
		{"-mat", "Structure factors", []string{"<file>"}, ""},
		{"-lambda", "Beam", []string{"<A>", "-wavelength"}, ""},
		{"-energy", "Beam", []string{"<eV>"}, ""},
		{"-fluence", "Beam", []string{"<photons/m^2>"}, ""},
		{"-divergence", "Beam", []string{"<mrad>"}, ""},
		{"-distance", "Detector geometry", []string{"<mm>"}, ""},
		{"-pixel", "Detector geometry", []string{"<mm>"}, ""},
		{"-detpixels_x", "Detector geometry", []string{"<pixels>"}, ""},
		{"-twotheta", "Detector geometry", []string{"<deg>"}, ""},
		{"-detector_thick", "Detector geometry", []string{"<um>"}, ""},
		{"-phi", "Sampling", []string{"<deg>"}, ""},
		{"-roi", "Sampling", []string{"xmin xmax ymin ymax"}, ""},
		{"-floatfile", "Noise and output", []string{"<file>"}, ""},
		{"-trace_pixel", "Noise and output", []string{"slow fast"}, ""},
		{"-mode", "", []string{"spec|c-parity"}, ""},
		{"-pngfile", "", []string{"<file>"}, ""},
	} {
		e, ok := opts[c.name]
		if !ok {
			t.Errorf("-help does not list %s", c.name)
			continue
		}
		if c.group != "" && e.group != c.group {
			t.Errorf("%s is listed under %q, want %q", c.name, e.group, c.group)
		}
		for _, h := range c.head {
			if !strings.Contains(e.head, h) {
				t.Errorf("%s line %q lacks %q", c.name, e.head, h)
			}
		}
		if !strings.Contains(e.text, c.text) || strings.TrimSpace(e.text) == "" {
			t.Errorf("%s description %q lacks %q", c.name, e.text, c.text)
		}
	}

	// The options spec-a-cli.md requires the usage text to mention.
	for _, name := range []string{"-hkl", "-mat", "-cell", "-pixel", "-detpixels", "-distance", "-lambda", "-energy",
		"-floatfile", "-intfile", "-noisefile", "-pgmfile", "-scale", "-adc", "-mosflm", "-xds", "-adxv", "-denzo", "-dials", "-roi"} {
		if _, ok := opts[name]; !ok {
			t.Errorf("-help does not list %s", name)
		}
	}
}
