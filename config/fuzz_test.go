package config

import (
	"strings"
	"testing"
)

// Parse and Resolve take any command line: settings or an error, never a
// panic (-img and -mask name files that do not exist here).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"-cell 100 100 100 90 90 90 -default_F 100 -N 5",
		"-mat A.mat -roi 1 2 3 4 -misset random -misset_seed 5",
		"-detpixels 0", "-twotheta_axis 1 2", "-mode c-parity -misset_seed 1 2 3",
		"-divergence 1 -dispersion 5 -phisteps -3 -osc 0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		for _, a := range args {
			if a == "-img" || a == "-mask" {
				return
			}
		}
		s, err := Parse(args)
		if err == nil {
			_ = s.Resolve()
		}
	})
}
