package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"gobragg/config"
	"gobragg/refl"
)

// dialsRow is one reflection of a test table.
type dialsRow struct {
	hkl   [3]int32
	bbox  [6]int32
	panel uint64
	flags refl.Flag
}

// writeDIALSTable writes rows as a msgpack reflection table with the
// columns DIALS writes (all but omit) and returns its path. Every row's
// intensity.sum.value is 10000 (F = 100 when read by -hkl).
func writeDIALSTable(t *testing.T, dir, name string, rows []dialsRow, omit string) string {
	t.Helper()
	var hkl, bbox, panel, id, flags, xyz, intensity bytes.Buffer
	for _, r := range rows {
		binary.Write(&intensity, binary.LittleEndian, 1e4)
		binary.Write(&hkl, binary.LittleEndian, r.hkl)
		binary.Write(&bbox, binary.LittleEndian, r.bbox)
		binary.Write(&panel, binary.LittleEndian, r.panel)
		binary.Write(&id, binary.LittleEndian, int32(0))
		binary.Write(&flags, binary.LittleEndian, uint64(r.flags))
		c := [3]float64{float64(r.bbox[0]+r.bbox[1]) / 2, float64(r.bbox[2]+r.bbox[3]) / 2, 0.5}
		binary.Write(&xyz, binary.LittleEndian, c)
	}
	n := uint64(len(rows))
	cols := map[string]any{
		"miller_index":        []any{"cctbx::miller::index<>", []any{n, hkl.Bytes()}},
		"bbox":                []any{"int6", []any{n, bbox.Bytes()}},
		"panel":               []any{"std::size_t", []any{n, panel.Bytes()}},
		"id":                  []any{"int", []any{n, id.Bytes()}},
		"flags":               []any{"std::size_t", []any{n, flags.Bytes()}},
		"xyzobs.px.value":     []any{"vec3<double>", []any{n, xyz.Bytes()}},
		"xyzcal.px":           []any{"vec3<double>", []any{n, xyz.Bytes()}},
		"intensity.sum.value": []any{"double", []any{n, intensity.Bytes()}},
	}
	delete(cols, omit)
	var buf bytes.Buffer
	if err := msgpack.NewEncoder(&buf).Encode([]any{"dials::af::reflection_table", 1, map[string]any{
		"identifiers": map[int]string{0: "x"}, "nrows": n, "data": cols}}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// editExpt rewrites an experiment list with edit applied to its JSON.
func editExpt(t *testing.T, from, to string, edit func(map[string]any)) string {
	t.Helper()
	raw, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	var l map[string]any
	if err := json.Unmarshal(raw, &l); err != nil {
		t.Fatal(err)
	}
	edit(l)
	out, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}

// panel0 is the first panel of an experiment list's JSON.
func panel0(l map[string]any) map[string]any {
	return l["detector"].([]any)[0].(map[string]any)["panels"].([]any)[0].(map[string]any)
}

// dialsScene simulates refineSim as image 1 of a 0.1-degree scan from 0
// degrees: its experiment list (truth.expt) and SMV noise frame.
func dialsScene(t *testing.T, dir string) (exptPath, frame string) {
	t.Helper()
	mustRun(t, dir, append(append([]string(nil), refineSim...), "-phi", "0", "-osc", "0.1",
		"-expt", "truth.expt", "-noisefile", "noise_00001.img", "-seed", "11", "-nopgm", "-noprogress")...)
	return filepath.Join(dir, "truth.expt"), filepath.Join(dir, "noise_00001.img")
}

// TestRefineSelectDIALS: the pixels fitted are the union of the boxes of
// the chosen rows on the frame's image; a row used in refinement adds the
// centroid comparison to the report and the JSON.
func TestRefineSelectDIALS(t *testing.T) {
	dir := t.TempDir()
	list, frame := dialsScene(t, dir)
	pred := refl.Predicted | refl.IntegratedSum
	rows := []dialsRow{
		{[3]int32{1, 2, 3}, [6]int32{10, 20, 10, 20, 0, 1}, 0, pred},
		{[3]int32{2, 2, 3}, [6]int32{15, 25, 12, 18, 0, 2}, 0, pred},           // overlaps the first: 5x6 new pixels
		{[3]int32{3, 2, 3}, [6]int32{40, 60, 40, 60, 0, 1}, 0, refl.Predicted}, // clipped: 8x8 pixels, not integrated
		{[3]int32{4, 2, 3}, [6]int32{0, 5, 0, 5, 1, 3}, 0, pred},               // another image
		{[3]int32{0, 0, 0}, [6]int32{30, 35, 0, 5, 0, 1}, 0, refl.Strong},      // unindexed
	}
	table := writeDIALSTable(t, dir, "x.refl", rows, "")
	for _, c := range []struct {
		rows   string
		pixels int
		boxes  int
	}{{"predicted", 100 + 30 + 64, 3}, {"integrated", 130, 2}} {
		t.Run(c.rows, func(t *testing.T) {
			out := t.TempDir()
			// Whether the model fits does not matter here (exit 0 or 3).
			res := runIn(t, out, "refine", "-data", frame, "-expt_in", list, "-select", dialsPrefix+table,
				"-dials_rows", c.rows, "-refine", "scale,background", "-strategy", "all", "-background", "1", "-default_F", "100", "-N", "5",
				"-oversample", "1", "-fluence", "1e29", "-out", filepath.Join(out, "r.json"))
			if res.code != 0 && res.code != 3 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			want := fmt.Sprintf("%d pixels used (%d DIALS shoeboxes of x.refl, 1 frame(s))", c.pixels, c.boxes)
			if !strings.HasPrefix(res.stdout, want) {
				t.Errorf("stdout starts %q, want %q", strings.SplitN(res.stdout, "\n", 2)[0], want)
			}
			if strings.Contains(res.stdout, "centroid RMSD against DIALS") {
				t.Errorf("a table without used_in_refinement rows got a centroid comparison:\n%s", res.stdout)
			}
		})
	}
	// One background per shoebox on this frame: reported apart from the
	// parameters, one JSON entry each.
	out := t.TempDir()
	res := runIn(t, out, "refine", "-data", frame, "-expt_in", list, "-select", dialsPrefix+table,
		"-refine", "scale,background", "-background_model", "shoebox", "-strategy", "all", "-background", "1", "-default_F", "100", "-N", "5",
		"-oversample", "1", "-fluence", "1e29", "-out", filepath.Join(out, "r.json"))
	if res.code != 0 && res.code != 3 {
		t.Fatalf("-background_model shoebox: exit %d: %s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, "shoebox backgrounds: 3 refined") || strings.Contains(res.stdout, "background_1") {
		t.Errorf("-background_model shoebox: want 3 shoebox backgrounds reported apart:\n%s", res.stdout)
	}
	var r struct {
		Backgrounds struct {
			Model string `json:"model"`
			Boxes []struct {
				HKL   [3]int  `json:"hkl"`
				Value float64 `json:"value"`
			} `json:"shoeboxes"`
		} `json:"shoebox_backgrounds"`
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if b := r.Backgrounds; b.Model != "shoebox" || len(b.Boxes) != 3 || b.Boxes[0].HKL != [3]int{1, 2, 3} || !(b.Boxes[0].Value >= 0) {
		t.Errorf("-out shoebox_backgrounds %+v, want the 3 boxes of the frame in table order", b)
	}
}

// TestRefineSelectDIALSRefused: tables, lists and frames the selection
// cannot use end with one line naming the input, exit 2, nothing written.
func TestRefineSelectDIALSRefused(t *testing.T) {
	dir := t.TempDir()
	list, frame := dialsScene(t, dir)
	good := []dialsRow{{[3]int32{1, 2, 3}, [6]int32{10, 20, 10, 20, 0, 1}, 0, refl.Predicted}}
	notes := filepath.Join(dir, "notes.refl")
	os.WriteFile(notes, []byte("h k l I sigI\n"), 0o644)
	noBBox := writeDIALSTable(t, dir, "nobbox.refl", good, "bbox")
	outside := writeDIALSTable(t, dir, "outside.refl", []dialsRow{{[3]int32{1, 2, 3}, [6]int32{50, 60, 10, 20, 0, 1}, 0, refl.Predicted}}, "")
	panel1 := writeDIALSTable(t, dir, "panel1.refl", []dialsRow{{[3]int32{1, 2, 3}, [6]int32{10, 20, 10, 20, 0, 1}, 1, refl.Predicted}}, "")
	later := writeDIALSTable(t, dir, "later.refl", []dialsRow{{[3]int32{1, 2, 3}, [6]int32{10, 20, 10, 20, 3, 5}, 0, refl.Predicted}}, "")
	table := writeDIALSTable(t, dir, "x.refl", good, "")
	// A list whose panel is 40x40: the 48x48 frame does not fit it.
	small := editExpt(t, list, filepath.Join(dir, "small.expt"), func(l map[string]any) {
		panel0(l)["image_size"] = []int{40, 40}
	})
	// A list whose panel masks every pixel, and one with a pickled mask.
	allMasked := editExpt(t, list, filepath.Join(dir, "masked.expt"), func(l map[string]any) {
		panel0(l)["mask"] = [][]int{{0, 0, 48, 48}}
	})
	pickle := filepath.Join(dir, "pixels.mask")
	os.WriteFile(pickle, []byte("\x80\x02cscitbx_array_family_flex_ext\nbool\n"), 0o644)
	pickled := editExpt(t, list, filepath.Join(dir, "pickled.expt"), func(l map[string]any) {
		l["imageset"].([]any)[0].(map[string]any)["mask"] = pickle
	})
	// An SMV mask of the wrong size for -mask.
	mustRun(t, dir, "-cell", "70", "80", "90", "90", "90", "90", "-default_F", "1", "-N", "1", "-detpixels", "40",
		"-intfile", "mask40.img", "-nonoise", "-nopgm", "-noprogress")

	base := func(l, tab string) []string {
		return []string{"-data", frame, "-expt_in", l, "-select", dialsPrefix + tab, "-refine", "scale", "-background", "1",
			"-default_F", "100", "-N", "5", "-oversample", "1", "-fluence", "1e29"}
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"not msgpack", base(list, notes), []string{"notes.refl", "not a DIALS reflection table"}},
		{"no such table", base(list, filepath.Join(dir, "none.refl")), []string{"none.refl", "no such file"}},
		{"no bbox column", base(list, noBBox), []string{"nobbox.refl", "no bbox column"}},
		{"boxes outside the frame", base(list, outside), []string{"outside.refl", "outside the 48x48 panel"}},
		{"panel 1", base(list, panel1), []string{"panel1.refl", "panel 1", "one panel"}},
		{"no box on the frame's image", base(list, later), []string{"later.refl", "covers image 0"}},
		{"frame size", base(small, table), []string{"noise_00001.img is 48x48", "40x40"}},
		{"no -expt_in", append([]string{"-data", frame, "-select", dialsPrefix + table, "-refine", "scale"}, refineSim...), []string{"x.refl", "needs -expt_in"}},
		{"bad rows", append(base(list, table), "-dials_rows", "strong"), []string{"-dials_rows", "strong"}},
		{"all masked by the panel", base(allMasked, table), []string{"noise_00001.img", "no pixel left"}},
		{"pickled imageset mask", base(pickled, table), []string{"pixels.mask", "not an SMV mask"}},
		{"-mask of another size", append(base(list, table), "-mask", filepath.Join(dir, "mask40.img")), []string{"-mask", "40x40", "48x48"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			res := runIn(t, out, append(append([]string{"refine"}, tc.args...), "-out", filepath.Join(out, "r.json"))...)
			checkRefused(t, out, res, tc.want)
		})
	}
}

// TestRefineDataMask: -mask leaves the data's pixels where it is 0 out of
// the fit, and the panel's mask rectangles and the imageset's SMV mask of
// -expt_in do too.
func TestRefineDataMask(t *testing.T) {
	dir := t.TempDir()
	list, frame := dialsScene(t, dir)
	// A mask that keeps the left half: the noise frame's SMV with 0 on the
	// right half of each row and 1 on the left.
	smv, err := os.ReadFile(frame)
	if err != nil {
		t.Fatal(err)
	}
	pix := smv[len(smv)-2*48*48:]
	for i := 0; i < 48*48; i++ {
		v := byte(0)
		if i%48 < 24 {
			v = 1
		}
		pix[2*i], pix[2*i+1] = v, 0
	}
	mask := filepath.Join(dir, "half.img")
	if err := os.WriteFile(mask, smv, 0o644); err != nil {
		t.Fatal(err)
	}
	rects := editExpt(t, list, filepath.Join(dir, "rects.expt"), func(l map[string]any) {
		panel0(l)["mask"] = [][]int{{0, 0, 48, 10}, {0, 40, 48, 48}} // rows 0-9 and 40-47
	})
	imageset := editExpt(t, list, filepath.Join(dir, "imageset.expt"), func(l map[string]any) {
		l["imageset"].([]any)[0].(map[string]any)["mask"] = "half.img" // relative to the list
	})
	for _, c := range []struct {
		name   string
		args   []string
		pixels int
		note   string
	}{
		{"-mask", []string{"-expt_in", list, "-mask", mask}, 48 * 24, ""},
		{"imageset mask", []string{"-expt_in", imageset}, 48 * 24, ", 1152 masked pixels left out"},
		{"panel mask", []string{"-expt_in", rects}, 48 * 30, ", 864 masked pixels left out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"refine", "-data", frame, "-refine", "scale", "-strategy", "all", "-background", "1",
				"-default_F", "100", "-N", "5", "-oversample", "1", "-fluence", "1e29"}, c.args...)
			res := runIn(t, out, args...)
			if res.code != 0 && res.code != 3 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			want := fmt.Sprintf("%d pixels used (all pixels, 1 frame(s)%s)", c.pixels, c.note)
			if !strings.HasPrefix(res.stdout, want) {
				t.Errorf("stdout starts %q, want %q", strings.SplitN(res.stdout, "\n", 2)[0], want)
			}
		})
	}
}

// The L-cysteine wedge (DIALS small-molecule tutorial data, Diamond
// I19-1, PILATUS 2M; DIALS test data l_cysteine, images Zenodo 51405,
// CC-BY 4.0): DIALS's model, its reflections and the first frame.
var lcysDir = filepath.Join("..", "..", "..", "shared", "realdata", "l_cysteine")

// TestRefineSelectDIALSLCysteine fits only the scale to frame 1 inside
// DIALS's shoeboxes, from DIALS's own model: the geometry does not move,
// so the model's centroid RMSD in the report and the JSON is DIALS's own
// (to the agreement refine's TestCompareDIALSCentroidsOwnModel checks),
// and the PILATUS gaps and bad pixels are left out of the data.
func TestRefineSelectDIALSLCysteine(t *testing.T) {
	exptPath, _ := filepath.Abs(filepath.Join(lcysDir, "11_integrated.expt"))
	table, _ := filepath.Abs(filepath.Join(lcysDir, "11_integrated.refl"))
	frame, _ := filepath.Abs(filepath.Join(lcysDir, "l-cyst_01_00001.cbf"))
	if _, err := os.Stat(frame); err != nil {
		t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	out := t.TempDir()
	res := runIn(t, out, "refine", "-expt_in", exptPath, "-select", dialsPrefix+table, "-data", frame, "-hkl", table,
		"-refine", "scale", "-background", "1", "-strategy", "all", "-max_iter", "3", "-out", filepath.Join(out, "r.json"),
		"-png", filepath.Join(out, "boxes.png"), "-noprogress")
	if res.code != 0 && res.code != 3 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	// 197365 gap pixels (-1) and 267 bad ones (-2) in frame 1.
	if !strings.Contains(res.stdout, "35 DIALS shoeboxes of 11_integrated.refl, 1 frame(s), 197632 gap or bad (negative) pixels left out") {
		t.Errorf("stdout does not report the shoeboxes and the gaps:\n%s", res.stdout)
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		D struct {
			N     int        `json:"reflections"`
			Model [3]float64 `json:"model_rmsd_xyz"`
			DIALS [3]float64 `json:"dials_rmsd_xyz"`
		} `json:"dials_centroids"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	t.Logf("centroid RMSD x y z: model %v, DIALS %v over %d", c.D.Model, c.D.DIALS, c.D.N)
	const agreement = 1e-9 // the predictions agree with DIALS's to 4e-13 px
	for k := range 3 {
		if c.D.N != 16 || math.Abs(c.D.Model[k]-c.D.DIALS[k]) > agreement || !(c.D.DIALS[k] > 0.1) {
			t.Errorf("JSON dials_centroids %+v: want 16 reflections and the model's RMSD equal to DIALS's", c.D)
		}
	}
	line := fmt.Sprintf("model %.3f %.3f px %.3f images, DIALS's own %.3f %.3f px %.3f images", c.D.Model[0], c.D.Model[1], c.D.Model[2],
		c.D.DIALS[0], c.D.DIALS[1], c.D.DIALS[2])
	if !strings.Contains(res.stdout, line) {
		t.Errorf("stdout lacks %q:\n%s", line, res.stdout)
	}
	// -png is the gallery of the brightest boxes: one frame, so one
	// column of three tiles per reflection beside the labels.
	f, err := os.Open(filepath.Join(out, "boxes.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width > 400 || cfg.Height < 3*12*40 {
		t.Errorf("boxes.png is %dx%d, want the one-frame gallery of 12 boxes", cfg.Width, cfg.Height)
	}
}

// TestRefineSelectDIALSWedge: in a wedge each frame takes the boxes of
// its own image of the scan, found from its header's start angle: frame 2
// (0.1 degrees) is image 1.
func TestRefineSelectDIALSWedge(t *testing.T) {
	dir := t.TempDir()
	list, frame1 := dialsScene(t, dir)
	mustRun(t, dir, append(append([]string(nil), refineSim...), "-phi", "0.1", "-osc", "0.1",
		"-noisefile", "noise_00002.img", "-seed", "12", "-nopgm", "-noprogress")...)
	frame2 := filepath.Join(dir, "noise_00002.img")
	pred := refl.Predicted
	table := writeDIALSTable(t, dir, "x.refl", []dialsRow{
		{[3]int32{1, 2, 3}, [6]int32{10, 20, 10, 20, 0, 1}, 0, pred}, // image 0: 100 pixels
		{[3]int32{2, 2, 3}, [6]int32{30, 33, 30, 33, 0, 2}, 0, pred}, // both: 9 pixels each
		{[3]int32{3, 2, 3}, [6]int32{0, 4, 0, 4, 1, 2}, 0, pred},     // image 1: 16 pixels
	}, "")
	for _, c := range []struct {
		data   string
		pixels int
		boxes  int
		frames int
	}{{frame1, 109, 2, 1}, {frame2, 25, 2, 1}, {frame1 + "," + frame2, 134, 4, 2}} {
		out := t.TempDir()
		res := runIn(t, out, "refine", "-data", c.data, "-expt_in", list, "-select", dialsPrefix+table,
			"-refine", "scale,background", "-strategy", "all", "-max_iter", "2", "-background", "1", "-default_F", "100", "-N", "5",
			"-oversample", "1", "-fluence", "1e29")
		if res.code != 0 && res.code != 3 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		want := fmt.Sprintf("%d pixels used (%d DIALS shoeboxes of x.refl, %d frame(s))", c.pixels, c.boxes, c.frames)
		if !strings.HasPrefix(res.stdout, want) {
			t.Errorf("-data %s: stdout starts %q, want %q", filepath.Base(c.data), strings.SplitN(res.stdout, "\n", 2)[0], want)
		}
	}
}

// TestRefineCalibrationFromExpt: with -expt_in the panel's gain (unless
// -gain is given), pedestal, trusted range and mask rectangles read the data.
func TestRefineCalibrationFromExpt(t *testing.T) {
	dir := t.TempDir()
	list, _ := dialsScene(t, dir)
	edited := editExpt(t, list, filepath.Join(dir, "cal.expt"), func(l map[string]any) {
		p := panel0(l)
		p["gain"], p["pedestal"], p["trusted_range"] = 2.5, 7.0, []float64{0, 60000}
		p["mask"] = [][]int{{1, 2, 3, 4}}
	})
	for _, c := range []struct {
		args []string
		gain float64
	}{{nil, 2.5}, {[]string{"-gain", "3"}, 3}} {
		fl, rest, err := refineArgs(append([]string{"-data", "x.img", "-refine", "scale", "-expt_in", edited}, c.args...))
		if err != nil {
			t.Fatal(err)
		}
		s, err := config.Parse(rest)
		if err != nil {
			t.Fatal(err)
		}
		d, err := readExptDetector(s)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := calibration(s, fl, d)
		if err != nil {
			t.Fatal(err)
		}
		if cal.GainADU != c.gain || cal.PedestalADU != 7 || cal.Trusted == nil || *cal.Trusted != [2]float64{0, 60000} ||
			len(cal.Rects) != 1 || cal.Rects[0] != [4]int{1, 2, 3, 4} {
			t.Errorf("%v: calibration %+v, want gain %g, pedestal 7, trusted [0 60000], one rectangle", c.args, cal, c.gain)
		}
	}
}
