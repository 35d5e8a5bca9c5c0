package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exptList is a one-experiment list with markers to replace: a 16x16 panel
// 100 mm downstream, the beam along -z.
const exptList = `{"__id__": "ExperimentList",
 "experiment": [{"__id__": "Experiment", "beam": 0, "detector": 0, "crystal": 0, "scan": 0}],
 "scan": [{"image_range": [1, 1], "oscillation": [START, 0.1]}],
 "beam": [{"direction": [0, 0, 1], "wavelength": WAVELENGTH, "polarization_normal": [0, 1, 0], "polarization_fraction": 0.5}],
 "detector": [{"panels": [{"fast_axis": [1, 0, 0], "slow_axis": [0, -1, 0], "origin": [-3.2, 3.2, ORIGIN_Z],
   "image_size": [SIZE, SIZE], "pixel_size": [0.4, 0.4], "thickness": THICKNESS, "mu": 1}]}],
 "crystal": [{"real_space_a": [EDGE, 0, 0], "real_space_b": [0, 60, 0], "real_space_c": [0, 0, 70]}]}`

// TestExptFieldsNameTheList: a check of a value an experiment list set
// names the list's field, and names the option once the command line
// sets the value after the list.
func TestExptFieldsNameTheList(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	good := map[string]string{"WAVELENGTH": "1", "ORIGIN_Z": "-100", "SIZE": "16", "THICKNESS": "0.3", "EDGE": "50", "START": "0"}
	write := func(change map[string]string) string {
		text := exptList
		for k, v := range good {
			if c, ok := change[k]; ok {
				v = c
			}
			text = strings.ReplaceAll(text, k, v)
		}
		path := filepath.Join(dir, "x.expt")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	at := func(field string) string { return "-expt_in: expt x.expt: " + field }
	for _, c := range []struct {
		name   string
		change map[string]string
		args   []string
		option string // the UsageError's Option
	}{
		{"wavelength", map[string]string{"WAVELENGTH": "1e308"}, nil, at("beam[0].wavelength")},
		{"wavelength given after", map[string]string{"WAVELENGTH": "1e308"}, []string{"-lambda", "1e5"}, "-lambda"},
		{"sensor thickness", map[string]string{"THICKNESS": "2e3"}, nil, at("detector[0].panels[0].thickness")},
		{"sensor thickness given after", nil, []string{"-detector_thick", "2e6"}, "-detector_thick"},
		{"distance from the origin", map[string]string{"ORIGIN_Z": "-2e5"}, nil, at("detector[0].panels[0].origin")},
		{"pixel count", map[string]string{"SIZE": "1048576"}, nil, at("detector[0].panels[0].image_size")},
		{"pixel count given after", nil, []string{"-detpixels", "100000"}, "-detpixels"},
		{"cell edge", map[string]string{"EDGE": "2e10"}, nil, at("crystal[0].real_space_a")},
		{"scan start", map[string]string{"START": "1e308"}, nil, at("scan[0].oscillation")},
		{"scan start given after", nil, []string{"-phi", "1e6"}, "-phi"},
	} {
		args := append([]string{"-expt_in", filepath.Base(write(c.change)), "-default_F", "1"}, c.args...)
		s, err := Parse(args)
		if err == nil {
			err = s.Resolve()
		}
		var ue *UsageError
		if !errors.As(err, &ue) || ue.Option != c.option {
			t.Errorf("%s: %q: error %v, want one for %s", c.name, args, err, c.option)
		}
	}
	write(nil)
	s, err := Parse([]string{"-expt_in", "x.expt", "-default_F", "1"})
	if err == nil {
		err = s.Resolve()
	}
	if err != nil {
		t.Fatalf("the list the cases change: %v", err)
	}
}
