package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/refl"
)

// TestRefineExptInputsRefused (issue 17): the inputs of a fit from
// -expt_in that it cannot use — a -hkl reflection table that is not one
// or lacks a column F is taken from, a -select dials: table that lacks a
// column the selection or the centroid comparison reads, a structure-factor
// table without the reflections of the fitted pixels, a frame of another
// size than the list's panel, and masks or an -roi that leave no pixel —
// end with one line naming the input, exit 2, and nothing written.
func TestRefineExptInputsRefused(t *testing.T) {
	dir := t.TempDir()
	list, frame := dialsScene(t, dir)
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pred := refl.Predicted | refl.IntegratedSum
	box := [6]int32{10, 20, 10, 20, 0, 1}
	good := []dialsRow{{[3]int32{1, 2, 3}, box, 0, pred}}
	used := []dialsRow{{[3]int32{1, 2, 3}, box, 0, pred | refl.UsedInRefinement}}
	table := writeDIALSTable(t, dir, "x.refl", good, "")
	// -hkl tables: text and bytes that are not a msgpack table, a table
	// cut short after its name, tables without a column F needs, and a
	// text and a DIALS table holding only a reflection far from the frame.
	notes := write("notes.refl", "h k l I sigI\n")
	junk := write("junk.refl", "\x1d\x8b\x00\x01binary")
	whole, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	cut := write("cut.refl", string(whole[:40]))
	noI := writeDIALSTable(t, dir, "noi.refl", good, "intensity.sum.value")
	noHKL := writeDIALSTable(t, dir, "nohkl.refl", good, "miller_index")
	noFlags := writeDIALSTable(t, dir, "noflags.refl", good, "flags")
	farHKL := write("far.hkl", "20 20 20 100\n")
	farRefl := writeDIALSTable(t, dir, "far.refl", []dialsRow{{[3]int32{20, 20, 20}, box, 0, pred}}, "")
	// -select tables flagging a row used_in_refinement without the
	// centroids the report compares: refused before the fit.
	noObs := writeDIALSTable(t, dir, "noobs.refl", used, "xyzobs.px.value")
	noCal := writeDIALSTable(t, dir, "nocal.refl", used, "xyzcal.px")
	// A box over rows 0-9 only.
	top := writeDIALSTable(t, dir, "top.refl", []dialsRow{{[3]int32{1, 2, 3}, [6]int32{0, 48, 0, 10, 0, 1}, 0, pred}}, "")
	// A list whose panel is 40x40 (the frame is 48x48), and one whose
	// panel masks rows 0-9.
	small := editExpt(t, list, filepath.Join(dir, "small.expt"), func(l map[string]any) {
		panel0(l)["image_size"] = []int{40, 40}
	})
	rows09 := editExpt(t, list, filepath.Join(dir, "rows09.expt"), func(l map[string]any) {
		panel0(l)["mask"] = [][]int{{0, 0, 48, 10}}
	})
	// An all-zero SMV mask of the frame's size.
	smv, err := os.ReadFile(frame)
	if err != nil {
		t.Fatal(err)
	}
	clear(smv[len(smv)-2*48*48:])
	zeros := write("zeros.img", string(smv))

	fit := []string{"-refine", "scale", "-background", "1", "-default_F", "100", "-N", "5", "-oversample", "1", "-fluence", "1e29"}
	with := func(l string, more ...string) []string {
		return append(append([]string{"-data", frame, "-expt_in", l}, fit...), more...)
	}
	sel := func(tab string) []string { return []string{"-select", dialsPrefix + tab} }
	cases := []struct {
		name string
		args []string
		want []string
	}{
		// (a) not a msgpack table: a text -hkl file is read as h k l F.
		{"-hkl text named .refl", with(list, "-hkl", notes), []string{"notes.refl", "not a number"}},
		{"-hkl bytes named .refl", with(list, "-hkl", junk), []string{"junk.refl", "not a text file"}},
		{"-hkl table cut short", with(list, "-hkl", cut), []string{"cut.refl"}},
		// (b) a column missing.
		{"-hkl table without intensities", with(list, "-hkl", noI), []string{"noi.refl", "no intensity.sum.value column"}},
		{"-hkl table without miller_index", with(list, "-hkl", noHKL), []string{"nohkl.refl", "no miller_index column"}},
		{"-hkl table without flags", with(list, "-hkl", noFlags), []string{"noflags.refl", "no flags column"}},
		{"-select table without miller_index", with(list, sel(noHKL)...), []string{"nohkl.refl", "no miller_index column"}},
		{"-select table without flags", with(list, sel(noFlags)...), []string{"noflags.refl", "no flags column"}},
		{"-select table without xyzobs.px.value", with(list, sel(noObs)...), []string{"noobs.refl", "no xyzobs.px.value column"}},
		{"-select table without xyzcal.px", with(list, sel(noCal)...), []string{"nocal.refl", "no xyzcal.px column"}},
		// (c) the fitted pixels' reflections absent from the table, whose
		// missing entries are -default_F 0: a blank start.
		{"-hkl text without the frame's reflections", with(list, "-hkl", farHKL, "-default_F", "0"),
			[]string{"-hkl", "far.hkl", "-default_F 0", "no Bragg intensity", "scale cannot be refined"}},
		{"-select rows absent from the -hkl table", with(list, append(sel(table), "-hkl", farRefl, "-default_F", "0")...),
			[]string{"-hkl", "far.refl", "-default_F 0", "no Bragg intensity in the 100 fitted pixels"}},
		{"-refine F, reflections absent from the -hkl table", []string{"-data", frame, "-expt_in", list, "-refine", "F",
			"-hkl", farHKL, "-default_F", "0", "-background", "1", "-N", "5", "-oversample", "1", "-fluence", "1e29"},
			[]string{"-hkl", "far.hkl", "no structure factor to refine"}},
		// (d) the frame and the list's panel differ in size.
		{"frame size", with(small), []string{"noise_00001.img is 48x48", "40x40"}},
		// (e) no pixel left.
		{"-mask of zeros", with(list, "-mask", zeros), []string{"noise_00001.img", "no pixel left"}},
		{"-roi inside the panel's mask", with(rows09, "-roi", "0", "9", "0", "9"), []string{"noise_00001.img", "no pixel left"}},
		{"-select boxes inside the panel's mask", with(rows09, sel(top)...), []string{"noise_00001.img", "no pixel left"}},
		// (f) a background per shoebox without shoeboxes or without the
		// background refined.
		{"-background_model shoebox without -select dials:", with(list, "-background_model", "shoebox"), []string{"-background_model shoebox", "-select dials:"}},
		{"-background_model shoebox, background held", []string{"-data", frame, "-expt_in", list, "-refine", "scale", "-select", dialsPrefix + table,
			"-background_model", "shoebox", "-N", "5", "-oversample", "1"}, []string{"-background_model shoebox", "background in -refine"}},
		{"-background_model plane", with(list, "-background_model", "plane"), []string{"-background_model", `"plane" is not frame or shoebox`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			res := runIn(t, out, append(append([]string{"refine"}, tc.args...), "-out", filepath.Join(out, "r.json"),
				"-png", filepath.Join(out, "fit.png"))...)
			if res.panicked != "" {
				t.Fatalf("panic: %s", res.panicked)
			}
			checkRefused(t, out, res, tc.want)
		})
	}
}

// TestRefineFPartialTable: an -hkl table that lacks some of the reflections
// the fitted pixels measure is not refused (a DIALS table never lists
// every predicted reflection): those keep F = -default_F and stay fixed,
// the ones listed are refined, and with -default_F 0 the model misfits
// the lacking spots, which the goodness-of-fit check reports (exit 3).
func TestRefineFPartialTable(t *testing.T) {
	dir := t.TempDir()
	list, frame := dialsScene(t, dir) // simulated with F = 100 everywhere
	var b strings.Builder
	for h := -10; h <= 10; h++ {
		for k := -10; k <= 10; k++ {
			fmt.Fprintf(&b, "%d %d 0 100\n", h, k)
		}
	}
	layer := filepath.Join(dir, "l0.hkl") // the l = 0 layer only
	if err := os.WriteFile(layer, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res := runIn(t, out, "refine", "-data", frame, "-expt_in", list, "-hkl", layer, "-default_F", "0", "-refine", "F",
		"-background", "1", "-N", "5", "-oversample", "1", "-fluence", "1e29", "-out", filepath.Join(out, "r.json"))
	if res.code != 3 || !strings.Contains(res.stderr, "model does not fit") || !strings.Contains(res.stdout, "structure factors: ") {
		t.Errorf("exit %d, want 3 with the misfit reported; stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
}
