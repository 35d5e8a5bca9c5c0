package main

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// thaumatinCBF is the thaumatin still (Diamond I24, PILATUS3 6M; DIALS
// test data, dials/data-files thaumatin_grid; CC-BY 4.0).
var thaumatinCBF = filepath.Join("..", "..", "..", "shared", "realdata", "thaumatin", "thau_3_2_0001.cbf")

// spotsHeader is the first line gobragg spots prints for an image.
var spotsHeader = regexp.MustCompile(`^# (.+): (\d+) spots, (\d+) pixels in their shoeboxes of half-width (\d+), (\d+) pixels without data`)

// parseSpots returns the spot count of gobragg spots' header line and its
// spot lines, checking each line's form.
func parseSpots(t *testing.T, stdout string) (int, [][]float64) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	m := spotsHeader.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("first line %q", lines[0])
	}
	n, _ := strconv.Atoi(m[2])
	var rows [][]float64
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 12 {
			t.Fatalf("spot line %q: %d fields, want 12", l, len(f))
		}
		var row []float64
		for _, s := range f {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("spot line %q: %v", l, err)
			}
			row = append(row, x)
		}
		rows = append(rows, row)
	}
	return n, rows
}

// TestSpotsThaumatin lists the spots of the whole 2463x2527 still: as many
// lines as the header says, brightest first, each of at least 3 strong
// pixels inside its box and its centroid inside its box.
func TestSpotsThaumatin(t *testing.T) {
	path, _ := filepath.Abs(thaumatinCBF) // runIn changes directory
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	res := mustRun(t, t.TempDir(), "spots", "-data", path)
	n, rows := parseSpots(t, res.stdout)
	if n != len(rows) || n == 0 {
		t.Fatalf("header says %d spots, %d lines follow", n, len(rows))
	}
	for i, r := range rows {
		fast, slow, signal, pixels := r[0], r[1], r[4], r[7]
		f0, f1, s0, s1 := r[8], r[9], r[10], r[11]
		if pixels < 3 || pixels > (f1-f0)*(s1-s0) || fast < f0 || fast > f1 || slow < s0 || slow > s1 {
			t.Errorf("spot %d: %v", i, r)
		}
		if i > 0 && signal > rows[i-1][4] {
			t.Errorf("spot %d is brighter (%g) than spot %d (%g)", i, signal, i-1, rows[i-1][4])
		}
	}
}

// TestRefineSelectFound: -select found fits the shoeboxes around the spots
// found on the data, the same spots gobragg spots lists.
func TestRefineSelectFound(t *testing.T) {
	dir := t.TempDir()
	frame := noiseFrame(t, dir)
	n, _ := parseSpots(t, mustRun(t, dir, "spots", "-data", frame).stdout)
	if n == 0 {
		t.Fatal("gobragg spots found no spot on the noise frame")
	}
	out := t.TempDir()
	args := append([]string{"refine", "-data", frame, "-select", "found", "-shoebox", "3", "-refine", "distance",
		"-strategy", "all", "-max_iter", "2"}, refineSim...)
	res := runIn(t, out, args...)
	if res.code != 0 && res.code != 3 {
		t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
	}
	want := "around " + strconv.Itoa(n) + " spots found on the data, 1 frame(s))"
	if !strings.Contains(res.stdout, "(shoeboxes of half-width 3 "+want) {
		t.Errorf("gobragg spots found %d spots; refine printed:\n%s", n, res.stdout)
	}
	if !strings.Contains(res.stderr, "-select found: "+strconv.Itoa(n)+" spots found on ") {
		t.Errorf("stderr:\n%s", res.stderr)
	}
}

// TestSpotsBadInput: one clear line and exit status 2 for each mistake;
// -select found on a frame without spots too.
func TestSpotsBadInput(t *testing.T) {
	dir := t.TempDir()
	flat := filepath.Join(dir, "flat.bin")
	raw := make([]byte, 48*48*4)
	for i := 0; i < len(raw); i += 4 {
		binary.LittleEndian.PutUint32(raw[i:], math.Float32bits(3))
	}
	if err := os.WriteFile(flat, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no data", []string{"spots"}, "-data: give the measured image"},
		{"missing file", []string{"spots", "-data", filepath.Join(dir, "none.cbf")}, "none.cbf"},
		{"shoebox 0", []string{"spots", "-data", flat, "-shoebox", "0"}, "-shoebox: half-width 0 pixels is outside 1..512"},
		{"unknown option", []string{"spots", "-data", flat, "-sigma", "3"}, "flag provided but not defined: -sigma"},
		{"stray argument", []string{"spots", "-data", flat, "x.cbf"}, `unexpected argument "x.cbf"`},
		{"bad gain", []string{"spots", "-data", flat, "-gain", "0"}, "gain must be positive"},
		{"no spot", append([]string{"refine", "-data", flat, "-select", "found", "-refine", "distance"}, refineSim...),
			"-select found: no spot found on " + flat},
		{"bad select", append([]string{"refine", "-data", flat, "-select", "some", "-refine", "distance"}, refineSim...),
			`-select: "some" is not all, spots, found or dials:FILE.refl`},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := runIn(t, dir, c.args...)
			if res.code != 2 || res.panicked != "" || strings.Count(res.stderr, "\n") != 1 || !strings.Contains(res.stderr, c.want) {
				t.Errorf("exit %d, stderr %q, want status 2 and one line with %q", res.code, res.stderr, c.want)
			}
			if res.stdout != "" {
				t.Errorf("stdout %q", res.stdout)
			}
		})
	}
}
