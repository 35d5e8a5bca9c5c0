package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileSim is a tiny simulation (16x16 pixels) for the hostile cases.
var hostileSim = strings.Fields(`-cell 50 60 70 90 90 90 -default_F 10 -N 3 -detpixels 16 -pixel 0.4 -distance 80 -oversample 1 -noprogress`)

// hostileExptSim simulates the experiment list x.expt (its detector, beam
// and crystal).
var hostileExptSim = strings.Fields(`-expt_in x.expt -default_F 10 -N 3 -oversample 1 -noprogress`)

// validList is a DIALS experiment list gobragg simulates: a 16x16 panel of
// 0.4 mm pixels 100 mm downstream, the beam along -z, a 50x60x70 Å cell.
func validList() map[string]any {
	vec := func(x ...float64) []any {
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = v
		}
		return out
	}
	identity := vec(1, 0, 0, 0, 1, 0, 0, 0, 1)
	return map[string]any{
		"__id__":     "ExperimentList",
		"experiment": []any{map[string]any{"__id__": "Experiment", "beam": 0, "detector": 0, "goniometer": 0, "scan": 0, "crystal": 0, "imageset": 0}},
		"imageset":   []any{map[string]any{"__id__": "ImageSequence", "template": "/x/a_###.img"}},
		"beam":       []any{map[string]any{"direction": vec(0, 0, 1), "wavelength": 1.0, "polarization_normal": vec(0, 1, 0), "polarization_fraction": 0.5}},
		"detector": []any{map[string]any{"panels": []any{map[string]any{"name": "Panel", "type": "SENSOR_PAD",
			"fast_axis": vec(1, 0, 0), "slow_axis": vec(0, -1, 0), "origin": vec(-3.2, 3.2, -100),
			"image_size": vec(16, 16), "pixel_size": vec(0.4, 0.4), "thickness": 0.0, "mu": 0.0}}}},
		"goniometer": []any{map[string]any{"rotation_axis": vec(1, 0, 0), "fixed_rotation": identity, "setting_rotation": identity}},
		"scan":       []any{map[string]any{"image_range": vec(1, 1), "oscillation": vec(0, 0.1)}},
		"crystal":    []any{map[string]any{"__id__": "crystal", "real_space_a": vec(50, 0, 0), "real_space_b": vec(0, 60, 0), "real_space_c": vec(0, 0, 70), "space_group_hall_symbol": " P 1"}},
	}
}

// model returns the first element of the list's models called key.
func model(l map[string]any, key string) map[string]any {
	m := l[key].([]any)[0].(map[string]any)
	if key == "detector" {
		return m["panels"].([]any)[0].(map[string]any)
	}
	return m
}

// writeList writes validList, changed by edit, as dir/x.expt, followed by
// tail.
func writeList(t *testing.T, dir string, edit func(map[string]any), tail string) {
	t.Helper()
	l := validList()
	if edit != nil {
		edit(l)
	}
	b, err := json.MarshalIndent(l, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.expt"), append(b, tail...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// set returns an edit setting key of the list's first model of kind to v.
func set(kind, key string, v any) func(map[string]any) {
	return func(l map[string]any) { model(l, kind)[key] = v }
}

func TestHostileExperimentLists(t *testing.T) {
	if testing.Short() {
		t.Skip("starts gobragg processes")
	}
	cases := []struct {
		name string
		edit func(map[string]any)
		tail string
		want string
	}{
		// Arrays of the length their meaning needs, one JSON value.
		{"real_space_a of two numbers", set("crystal", "real_space_a", []int{1, 2}), "",
			"-expt_in: expt x.expt: crystal[0].real_space_a: 2 numbers where an array of 3 numbers belongs"},
		{"image_size of three", set("detector", "image_size", []int{64, 64, 64}), "",
			"-expt_in: expt x.expt: detector[0].panels[0].image_size: 3 integers where an array of 2 integers belongs"},
		{"fixed_rotation of eight", set("goniometer", "fixed_rotation", []int{1, 0, 0, 0, 1, 0, 0, 0}), "",
			"goniometer[0].fixed_rotation: 8 numbers where an array of 9 numbers belongs"},
		{"trailing garbage", nil, "\ngarbage", "-expt_in: expt x.expt: text after the end of the JSON value, at line"},
		// Every check an experiment list reaches names the list's field.
		{"parallel panel axes", set("detector", "slow_axis", []float64{1, 0, 0}), "",
			"-expt_in: expt x.expt: detector[0].panels[0]: fast_axis [1 0 0] and slow_axis [1 0 0] are parallel"},
		{"zero-length crystal vector", set("crystal", "real_space_a", []float64{0, 0, 0}), "",
			"-expt_in: expt x.expt: crystal[0].real_space_a: [0 0 0] Å has no length"},
		{"coplanar crystal vectors", set("crystal", "real_space_c", []float64{25, 30, 0}), "",
			"-expt_in: expt x.expt: crystal[0]: real_space_a [50 0 0], real_space_b [0 60 0] and real_space_c [25 30 0] Å are coplanar or left-handed"},
		{"cell edge of 2 m", set("crystal", "real_space_a", []float64{2e10, 0, 0}), "",
			"-expt_in: expt x.expt: crystal[0].real_space_a: the cell edge [2e+10 0 0] Å is 2 m long, above the 1 m"},
		{"origin on the sample", set("detector", "origin", []float64{0, 0, 0}), "",
			"-expt_in: expt x.expt: detector[0].panels[0]: the panel does not face the sample"},
		{"origin 1e12 mm away", set("detector", "origin", []float64{-3.2, 3.2, -1e12}), "",
			"-expt_in: expt x.expt: detector[0].panels[0].origin: value 1e+12 mm is outside the valid range (0, 100000] mm"},
		{"sensor 1 km thick", set("detector", "thickness", 1e6), "",
			"-expt_in: expt x.expt: detector[0].panels[0].thickness: value 1e+09 um is outside the valid range [0, 1e+06] um"},
		{"pixels of 1 km", set("detector", "pixel_size", []float64{1e6, 1e6}), "",
			"-expt_in: expt x.expt: detector[0].panels[0].pixel_size: value 1e+06 mm is outside the valid range"},
		{"2^40 pixels", set("detector", "image_size", []int{1 << 20, 1 << 20}), "",
			"-expt_in: expt x.expt: detector[0].panels[0].image_size: detector of 1.048576e+06x1.048576e+06 pixels is too large"},
		{"polarization normal along the beam", set("beam", "polarization_normal", []float64{0, 0, 1}), "",
			"-expt_in: expt x.expt: beam[0]: polarization_normal [0 0 1] is parallel to direction [0 0 1]"},
		// Images that make no sense.
		{"wavelength 1e308", set("beam", "wavelength", 1e308), "",
			"-expt_in: expt x.expt: beam[0].wavelength: value 1e+308 A is outside the valid range [0.0001, 10000] A"},
		{"panel behind the sample", set("detector", "origin", []float64{-3.2, 3.2, 150}), "",
			"-expt_in: expt x.expt: detector[0].panels[0]: the panel does not face the sample: origin [-3.2 3.2 150] mm is -150 mm along the normal fast_axis x slow_axis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeList(t, dir, c.edit, c.tail)
			expectRefused(t, dir, c.want, append(hostileExptSim, "-floatfile", "f.bin")...)
		})
	}
	// The same list through gradient and refine.
	t.Run("gradient and refine", func(t *testing.T) {
		dir := t.TempDir()
		writeList(t, dir, set("detector", "origin", []float64{-3.2, 3.2, 150}), "")
		writeFloatImage(t, filepath.Join(dir, "data.bin"), 16*16)
		want := "detector[0].panels[0]: the panel does not face the sample"
		expectRefused(t, dir, want, append([]string{"gradient", "-wrt", "distance"}, hostileExptSim...)...)
		expectRefused(t, dir, want, append([]string{"refine", "-data", "data.bin", "-refine", "scale", "-out", "fit.json"}, hostileExptSim...)...)
	})
}

// TestHostileExperimentListSize: a valid list of 250 MB (one huge array)
// is refused by its size before it is read; one of 7 MB whose numbers
// would decode to 150 MB by the estimate, before it is decoded.
func TestHostileExperimentListSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 250 MB file")
	}
	big := t.TempDir() // outside the watched directory: hashing 250 MB twice is slow
	for _, c := range []struct {
		name    string
		numbers int
		want    string
	}{
		{"250 MB", 125_000_000, "bytes, above the 64 MiB an experiment list may have"},
		{"7 MB of numbers", 3_500_000, "profile["},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(big, strings.ReplaceAll(c.name, " ", "_")+".expt")
			writeListWithArray(t, path, c.numbers)
			dir := t.TempDir()
			r := expectRefused(t, dir, "-expt_in: expt "+path+": ", append([]string{"-expt_in", path}, hostileExptSim[2:]...)...)
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q does not hold %q", r.stderr, c.want)
			}
		})
	}
}

// writeListWithArray writes validList with a "profile" of n numbers (the
// array first, so that the file is valid JSON throughout).
func writeListWithArray(t *testing.T, path string, n int) {
	t.Helper()
	rest, err := json.Marshal(validList())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"profile": [`)
	chunk := strings.Repeat("1,", 1<<16)
	for left := n - 1; left > 0; {
		k := min(left, 1<<16)
		w.WriteString(chunk[:2*k])
		left -= k
	}
	w.WriteString("1], ")
	w.Write(rest[1:])
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeFloatImage writes a raw float image of n pixels of 1 photon.
func writeFloatImage(t *testing.T, path string, n int) {
	t.Helper()
	b := make([]byte, 4*n)
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(1))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHostileCommands: values that make no image, and outputs that could
// not be written, are refused before any work, naming the option.
func TestHostileCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts gobragg processes")
	}
	sim := func(extra ...string) []string { return append(append([]string(nil), hostileSim...), extra...) }
	sub := func(name string, extra ...string) []string {
		return append(append([]string{name}, extra...), hostileSim...)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		// Geometry and data models that make no sense.
		{"pix0 behind the sample", sim("-pix0_vector", "-0.08", "0.001", "0.001"),
			"-pix0_vector: the detector does not face the sample: the sample lies 80 mm behind the detector plane"},
		{"gradient of a panel behind the sample", sub("gradient", "-wrt", "distance", "-pix0_vector", "-0.08", "0.001", "0.001"),
			"-pix0_vector: the detector does not face the sample"},
		{"gradient with a negative scale", sub("gradient", "-wrt", "distance", "-target", "data.bin", "-scale", "-1"),
			"-scale: counts per photon must be positive, got -1"},
		{"gradient with a zero scale", sub("gradient", "-wrt", "distance", "-target", "data.bin", "-scale", "0"),
			"-scale: counts per photon must be positive, got 0"},
		{"refine with a negative scale", sub("refine", "-data", "data.bin", "-refine", "distance", "-scale", "-2"),
			"-scale: counts per photon must be positive, got -2"},
		{"a cell of no volume", sim("-cell", "1e-300", "1e-300", "1e-300", "90", "90", "90"),
			"-cell: crystal: bad unit cell: impossible unit cell volume 0"},
		{"gradfile_hkl without a table", sub("gradient", "-wrt", "distance", "-gradfile_hkl", "g.txt"),
			"-gradfile_hkl g.txt: this run has no structure-factor table (give -hkl)"},
		{"refine without structure factors", append(sub("refine", "-data", "data.bin", "-refine", "distance"), "-default_F", "0"),
			"-default_F: is 0 with no -hkl FILE and this command reads no Fdump.bin"},
		// Outputs whose directory does not exist, or cannot take a file.
		{"refine -out", sub("refine", "-data", "data.bin", "-refine", "distance", "-out", "nodir/fit.json"),
			"-out nodir/fit.json: directory nodir does not exist"},
		{"refine -png", sub("refine", "-data", "data.bin", "-refine", "distance", "-png", "nodir/fit.png"),
			"-png nodir/fit.png: directory nodir does not exist"},
		{"gradient -gradfile_hkl", sub("gradient", "-wrt", "distance", "-hkl", "x.hkl", "-gradfile_hkl", "nodir/g.txt"),
			"-gradfile_hkl nodir/g.txt: directory nodir does not exist"},
		{"compare -json", []string{"compare", "data.bin", "data.bin", "-json", "nodir/c.json"}, "-json nodir/c.json: directory nodir does not exist"},
		{"compare -png", []string{"compare", "data.bin", "data.bin", "-png", "data.bin/c.png"}, "-png data.bin/c.png: data.bin is not a directory"},
		{"sweep -expt", sub("sweep", "-frames", "2", "-osc", "1", "-template", "f_#.img", "-expt", "nodir/s.expt"),
			"-expt nodir/s.expt: directory nodir does not exist"},
		{"sweep -template under a file", sub("sweep", "-frames", "2", "-osc", "1", "-template", "data.bin/sub/f_#.img"),
			"-template data.bin/sub/f_1.img: data.bin is not a directory"},
		{"stills -expt", sub("stills", "-n", "2", "-template", "s_#.img", "-expt", "nodir/s.expt"),
			"-expt nodir/s.expt: directory nodir does not exist"},
		{"-floatfile", sim("-floatfile", "nodir/f.bin"), "-floatfile nodir/f.bin: directory nodir does not exist"},
		{"-intfile", sim("-intfile", "nodir/i.img"), "-intfile nodir/i.img: directory nodir does not exist"},
		{"-noisefile", sim("-noisefile", "nodir/n.img"), "-noisefile nodir/n.img: directory nodir does not exist"},
		{"-pngfile", sim("-pngfile", "nodir/p.png"), "-pngfile nodir/p.png: directory nodir does not exist"},
		{"-expt", sim("-expt", "nodir/x.expt"), "-expt nodir/x.expt: directory nodir does not exist"},
		{"-floatfile a directory", sim("-floatfile", "."), "-floatfile .: is a directory"},
		{"Fdump.bin in an unwritable place", sim("-hkl", "x.hkl", "-dump", "nodir/Fdump.bin"), "-dump nodir/Fdump.bin: directory nodir does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFloatImage(t, filepath.Join(dir, "data.bin"), 16*16)
			if err := os.WriteFile(filepath.Join(dir, "x.hkl"), []byte("1 0 0 10\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := expectRefused(t, dir, c.want, c.args...)
			if strings.Contains(r.stderr, os.TempDir()+"/gobragg-") {
				t.Errorf("the message names an internal temporary file: %q", r.stderr)
			}
		})
	}
}
