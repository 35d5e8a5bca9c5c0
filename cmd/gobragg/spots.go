package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"gobragg/refine"
	"gobragg/spots"
)

// spotsUsage is the text of `gobragg spots -help`.
const spotsUsage = `usage: gobragg spots -data IMAGE[,IMAGE...] [-shoebox HALFWIDTH] [-gain G] [-adc A]

Finds the spots on measured images, as gobragg refine -select found does, and
lists them: no model is needed. Data: SMV frames (counts = (ADU - adc) / gain,
overloads (65535) left out), miniCBF frames (counts / gain; negative gap and bad
pixels, and counts at or above the header's Count_cutoff, left out) or raw
float32 images in photons (square); the size comes from the header.

A pixel is strong when its counts exceed the local background mean (an 11x11
pixel square, strong pixels left out) by 3 Poisson sigmas; a spot is a
connected group of at least 3 strong pixels (DIALS's rule for pixel-array
detectors) with signal over noise at least 5.

  -data FILES     the images
  -shoebox H      shoebox half-width in pixels around each spot's bounding box,
                  1..512 (default 5): the pixels -select found fits
  -gain G         ADU per photon (default 1)
  -adc A          SMV offset in ADU (default 40)

Output (stdout), per image: a line "# IMAGE: N spots, P pixels in their
shoeboxes of half-width H, G pixels without data (gaps, bad, overloaded)",
then one line per spot, brightest first:
  fast slow (centroid, pixels from the corner of the first pixel), their
  standard errors (pixels), signal and background (photons), SNR, strong
  pixels, and the bounding box fast0 fast1 slow0 slow1 (half-open).
Exit status: 0 success, 2 bad command line or image, 1 any other failure.
`

func init() {
	register(subcommand{Name: "spots", Summary: "find and list the spots on measured images (no model needed)",
		Help: spotsUsage, Run: runSpots})
}

// runSpots implements `gobragg spots`.
func runSpots(args []string, stdout, stderr io.Writer) int {
	fail := failer("spots", stderr)
	fs := flag.NewFlagSet("spots", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "", "")
	shoebox := fs.Int("shoebox", 5, "")
	gain := fs.Float64("gain", 1, "")
	adc := fs.Float64("adc", 40, "")
	if err := fs.Parse(args); err != nil {
		return fail(&usageError{err.Error()})
	}
	switch {
	case fs.NArg() > 0:
		return fail(&usageError{fmt.Sprintf("unexpected argument %q; give the images with -data", fs.Arg(0))})
	case *data == "":
		return fail(&usageError{"-data: give the measured image(s), e.g. -data frame.cbf"})
	case *shoebox < 1 || *shoebox > maxShoebox:
		return fail(&usageError{fmt.Sprintf("-shoebox: half-width %d pixels is outside 1..%d", *shoebox, maxShoebox)})
	}
	var paths []string
	for _, p := range strings.Split(*data, ",") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for _, path := range paths {
		im, err := refine.ReadImage(path, 0, 0, *adc, *gain)
		if err != nil {
			return fail(fmt.Errorf("-data: %w", err))
		}
		found := spots.Find(im.Counts, im.Fast, im.Slow, refine.FoundSpotFinder)
		missing, boxed := 0, 0
		for _, y := range im.Counts {
			if math.IsNaN(y) {
				missing++
			}
		}
		for _, d := range spots.Shoeboxes(found, im.Fast, im.Slow, *shoebox) {
			if !math.IsNaN(im.Counts[d]) {
				boxed++
			}
		}
		fmt.Fprintf(w, "# %s: %d spots, %d pixels in their shoeboxes of half-width %d, %d pixels without data (gaps, bad, overloaded)\n",
			im.Name, len(found), boxed, *shoebox, missing)
		for _, s := range found {
			b := s.Box
			fmt.Fprintf(w, "%.3f %.3f %.4f %.4f %.1f %.1f %.1f %d %d %d %d %d\n", s.Fast, s.Slow, s.SigmaFast, s.SigmaSlow,
				s.Signal, s.Background, s.SNR(), s.Pixels, b.Fast0, b.Fast1, b.Slow0, b.Slow1)
		}
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	return 0
}
