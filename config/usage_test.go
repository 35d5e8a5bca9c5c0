package config

import (
	"strings"
	"testing"
)

// TestUsageListsEveryOption: the help text comes from the parser's table, so
// every spelling Parse accepts appears in it.
func TestUsageListsEveryOption(t *testing.T) {
	u := Usage()
	for i := range table {
		for _, n := range table[i].names {
			if !strings.Contains(u, "  "+n) && !strings.Contains(u, ", "+n) {
				t.Errorf("usage does not list %s", n)
			}
		}
	}
	for _, want := range []string{
		"-distance <mm>\n        sample to detector along the beam (selects the beam pivot) (default: 100)",
		"-pixel <mm>\n        pixel size (default: 0.1)",
		"-lambda, -wave, -wavelength <A>",
		"-detector_abs, -detector_absorb, -detector_absorption <um>|inf|0",
		"-mosaic_seed <int>\n        seed of the mosaic domain orientations (default: 12345678)",
		"-floatfile, -floatimage <file>\n        raw 4-byte float image in photons/pixel (default: floatimage.bin)",
		"-adc <counts>\n        offset added to SMV pixels (default: 40)",
		"-fluence <photons/m^2>\n        integrated beam intensity (default: 1.25932e+29)",
		"-twotheta_axis x y z\n        two-theta rotation axis (selects the custom convention) (default: 0 1 0)",
		"-mode spec|c-parity",
		"Crystal:", "Structure factors:", "Beam:", "Detector geometry:", "Sampling:", "Noise and output:", "gobragg extras:",
	} {
		if !strings.Contains(u, want) {
			t.Errorf("usage lacks %q", want)
		}
	}
	// AT-CLI-001: the options the spec requires in the help.
	for _, n := range []string{"-hkl", "-mat", "-cell", "-pixel", "-detpixels", "-distance", "-lambda", "-energy",
		"-floatfile", "-intfile", "-noisefile", "-pgmfile", "-scale", "-adc", "-mosflm", "-xds", "-adxv", "-denzo", "-dials", "-roi"} {
		if !strings.Contains(u, "  "+n) {
			t.Errorf("usage lacks %s (AT-CLI-001)", n)
		}
	}
}

func TestSuggestion(t *testing.T) {
	for in, want := range map[string]string{
		"-detpixel": "-detpixels", "-mosiac": "-mosaic", "-hlk": "-hkl", "-floatfil": "-floatfile",
		"-oversampl": "-oversample", "-Xbem": "-Xbeam", "-twothta": "-twotheta", "-nonois": "-nonoise",
	} {
		if got := nearestOption(in); got != want {
			t.Errorf("nearestOption(%q) = %q, want %q", in, got, want)
		}
	}
}
