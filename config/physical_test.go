package config

import (
	"errors"
	"strings"
	"testing"
)

// TestPhysicalBounds: the ends of every valid range are where they are
// said to be: a value on a closed end is accepted, one on an open end or
// just outside is refused with the option named, in both modes.
func TestPhysicalBounds(t *testing.T) {
	cases := []struct {
		args   []string
		option string // "" = accepted
	}{
		{[]string{"-polar", "1"}, ""}, {[]string{"-polar", "-1"}, ""}, {[]string{"-polar", "1.0000001"}, "-polar"},
		{[]string{"-nopolar", "-polar", "5", "-nopolar"}, ""}, // unused without polarization
		{[]string{"-mosaic", "180"}, ""}, {[]string{"-mosaic", "180.001"}, "-mosaic"}, {[]string{"-mosaic", "0"}, ""},
		{[]string{"-dispersion", "199.99"}, ""}, {[]string{"-dispersion", "200"}, "-dispersion"},
		{[]string{"-water", "0"}, ""}, {[]string{"-water", "1e6"}, ""}, {[]string{"-water", "1.1e6"}, "-water"},
		{[]string{"-default_F", "1e10"}, ""}, {[]string{"-default_F", "1.1e10"}, "-default_F"},
		{[]string{"-twotheta", "89.9"}, ""}, {[]string{"-twotheta", "-89.9"}, ""}, {[]string{"-twotheta", "-90"}, "-twotheta"},
		{[]string{"-distance", "1e-6"}, ""}, {[]string{"-distance", "1e5"}, ""}, {[]string{"-distance", "1.1e5"}, "-distance"},
		{[]string{"-fluence", "1e40"}, ""}, {[]string{"-fluence", "1.1e40"}, "-fluence"},
		{[]string{"-flux", "0", "-exposure", "0"}, ""}, // no flux: the exposure does not matter
		{[]string{"-fudge", "1e-9"}, ""}, {[]string{"-fudge", "-1"}, "-fudge"},
		{[]string{"-Xbeam", "-1e5"}, ""}, {[]string{"-Xbeam", "-1.1e5"}, "-Xbeam"},
		{[]string{"-beamsize", "1000"}, ""}, {[]string{"-beamsize", "1000.1"}, "-beamsize"},
		{[]string{"-oversample_thick", "-detector_thick", "100", "-detector_abs", "300"}, ""},
		{[]string{"-fdet_vector", "0", "0", "1", "-sdet_vector", "0", "0", "-1"}, "-fdet_vector"}, // antiparallel
	}
	t.Chdir(t.TempDir())
	for _, tc := range cases {
		for _, mode := range []string{"spec", "c-parity"} {
			args := append([]string{"-mode", mode}, withBase(tc.args...)...)
			err := mustParse(t, args...).Resolve()
			var ue *UsageError
			switch {
			case tc.option == "" && err != nil:
				t.Errorf("%q: %v, want accepted", args, err)
			case tc.option != "" && (!errors.As(err, &ue) || ue.Option != tc.option || !strings.Contains(ue.Msg, "range") && !strings.Contains(ue.Msg, "parallel")):
				t.Errorf("%q: got %v, want %s refused with its range", args, err, tc.option)
			}
		}
	}
}
