package main

import (
	"io"
	"strings"
	"testing"
)

// FuzzRun: any command line of nanoBragg options on a tiny detector ends
// with a result or an error line, never a panic.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		"-N 3", "-mosaic 0.5 -mosaic_dom 3", "-phi 0 -osc 1 -phisteps 2", "-twotheta 30 -xds",
		"-curved_det -oversample 2", "-detector_abs 100 -detector_thick 50 -detector_thicksteps 2",
		"-round_xtal -fudge 0", "-gauss_xtal", "-tophat_spots", "-dispersion 10 -dispsteps 2",
		"-hdivrange 1 -vdivrange 1 -hdivsteps 2 -vdivsteps 2", "-dmin 100", "-polar 1 -nopolar",
		"-water 100 -point_pixel", "-distance 0.001", "-lambda 100", "-beam_vector 0 0 1",
		"-fdet_vector 1 0 0 -sdet_vector 1 0 0", "-roi 0 1 0 1 -mode c-parity",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, extra string) {
		for _, bad := range []string{"-img", "-mask", "-hkl", "-mat", "-sourcefile", "-stol", "-Q", "-dump", "file", "image", "-detpixels", "-detsize", "-pixel", "-oversample", "-phisteps", "-mosaic_dom", "step", "-force", "-N", "-Na", "-Nb", "-Nc", "size", "thick", "-printout", "-xtal", "-sample"} {
			if strings.Contains(extra, bad) {
				return // files, or sizes that could make the run slow
			}
		}
		t.Chdir(t.TempDir())
		args := append([]string{"-cell", "50", "60", "70", "80", "90", "100", "-default_F", "10", "-N", "2",
			"-detpixels", "4", "-pixel", "0.5", "-oversample", "1", "-nonoise", "-nopgm", "-noprogress"}, strings.Fields(extra)...)
		run(args, io.Discard, io.Discard)
	})
}
