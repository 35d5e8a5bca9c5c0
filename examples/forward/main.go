// Command forward simulates a 0.5 degree oscillation image of a small
// protein crystal with gobragg and writes nanoBragg's output files.
//
//	go run ./examples/forward -out out
//
// The crystal is lysozyme-like (P1 cell 79.1 79.1 38.4 Angstrom, 90 degree
// angles; 8 x 8 x 16 cells with Gaussian spot profiles, 0.3 degree mosaic
// spread in 10 domains) with a synthetic structure-factor table:
// deterministic pseudo-random amplitudes with an acentric Wilson
// distribution, B = 25 A^2 and weakened low-resolution terms (bulk
// solvent), to 1.9 A, written to out/example.hkl and read back with -hkl.
// The 512 x 512 detector (0.1 mm pixels) at 60 mm reaches 2.5 A at its
// edges and 1.9 A in the corners; a thin water layer gives the background
// and the noise image has Poisson noise. The program writes
// out/floatimage.bin, out/intimage.img (SMV), out/noiseimage.img (SMV with
// noise), out/image.png (gobragg's -pngfile preview of the float image),
// out/noiseimage.png (the noisy frame as a detector viewer shows it:
// white background, dark spots) and out/Fdump.bin.
//
// The program builds a nanoBragg command line in Go and runs it through
// config.Parse, sim.Prepare and Problem.Simulate, the same path as the
// gobragg command. -detpixels makes a coarser detector of the same size
// (the tests use it to run quickly).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"gobragg/config"
	"gobragg/imageio"
	"gobragg/sim"
)

func main() {
	out := flag.String("out", "out", "output directory (created if needed)")
	pixels := flag.Int("detpixels", 512, "detector side in pixels (the detector keeps its size in mm)")
	flag.Parse()
	if err := run(*out, *pixels, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "forward:", err)
		os.Exit(1)
	}
}

// Experiment constants (option units: Angstrom, mm, degrees).
var (
	lysozyme = cell{79.1, 79.1, 38.4, 90, 90, 90}
	amps     = wilson{BFactor: 25, SolventD: 12, MeanF: 400, Seed: 20240601}
)

const (
	hklDminA       = 1.9  // table resolution limit, Angstrom
	detectorSideMM = 51.2 // detector side, mm
	distanceMM     = 60.0 // sample to detector, mm
	lambdaA        = 1.0  // wavelength, Angstrom
)

// args returns the nanoBragg command line of the example for a detector of
// pixels x pixels covering detectorSideMM.
func args(pixels int) []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	c := lysozyme
	return []string{
		"-hkl", "example.hkl", "-default_F", "0",
		"-cell", f(c.A), f(c.B), f(c.C), f(c.Alpha), f(c.Beta), f(c.Gamma),
		"-misset", "33", "47", "-61", "-gauss_xtal",
		"-N", "8", "-Nc", "16", // about 0.63 x 0.63 x 0.61 micrometres
		"-mosaic", "0.3", "-mosaic_dom", "10",
		"-phi", "0", "-osc", "0.5", "-phisteps", "5",
		"-lambda", f(lambdaA),
		"-distance", f(distanceMM),
		"-detpixels", strconv.Itoa(pixels), "-pixel", f(detectorSideMM / float64(pixels)),
		"-oversample", "2",
		"-fluence", "2e27",
		"-water", "2.1", "-polar", "1",
		"-seed", "7", "-adc", "10",
		"-pngfile", "image.png", "-nopgm", "-noprogress",
	}
}

// run writes the structure factors and simulates the image into outDir.
func run(outDir string, pixels int, log io.Writer) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	hklPath := filepath.Join(outDir, "example.hkl")
	var nrefl int
	err := imageio.WriteFileAtomic(hklPath, func(w io.Writer) error {
		n, err := writeHKL(w, lysozyme, hklDminA, amps)
		nrefl = n
		return err
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", hklPath, err)
	}
	fmt.Fprintf(log, "wrote %d synthetic reflections to %s (d >= %g A, Wilson B = %g A^2)\n", nrefl, hklPath, hklDminA, amps.BFactor)

	s, err := config.Parse(args(pixels))
	if err != nil {
		return err
	}
	p, err := sim.Prepare(s, sim.Dirs{InputDir: outDir, OutputDir: outDir})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := p.Simulate(log); err != nil {
		return err
	}
	noisePNG := "noiseimage.png"
	if err := writeNoisePreview(filepath.Join(outDir, s.NoiseFile), filepath.Join(outDir, noisePNG), s.ADC); err != nil {
		return err
	}
	fmt.Fprintf(log, "\nsimulated %dx%d pixels in %.1f s; files in %s:\n", pixels, pixels, time.Since(start).Seconds(), outDir)
	for _, f := range []struct{ name, what string }{
		{s.FloatFile, "float image, photons per pixel (4-byte floats)"},
		{s.IntFile, "SMV image without noise"},
		{s.NoiseFile, "SMV image with Poisson noise"},
		{s.PNGFile, "PNG preview of the float image (asinh stretch)"},
		{noisePNG, "the noisy image as a detector viewer shows it"},
		{"example.hkl", "the synthetic structure factors"},
	} {
		fmt.Fprintf(log, "  %-40s %s\n", filepath.Join(outDir, f.name), f.what)
	}
	return nil
}
