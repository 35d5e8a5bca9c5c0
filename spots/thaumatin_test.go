package spots_test

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gobragg/imageio"
	"gobragg/refine"
	"gobragg/spots"
)

// The thaumatin still: one frame of a thaumatin grid scan, Diamond I24,
// PILATUS3 6M miniCBF (DIALS test data, dials/data-files thaumatin_grid;
// CC-BY 4.0).
var thaumatinCBF = filepath.Join("..", "..", "shared", "realdata", "thaumatin", "thau_3_2_0001.cbf")

// dialsThaumatinSpots is how many strong spots DIALS finds on the still.
const dialsThaumatinSpots = 290

// thaumatinSpotFactor bounds the ratio of gobragg's spot count to DIALS's
// either way: both threshold at 3 Poisson sigmas over a local background
// and ask 3 strong pixels, but DIALS also asks a raised index of
// dispersion in a 7x7 kernel and filters on the peak-centroid distance,
// which moves the faint spots at the threshold, not the bright ones.
const thaumatinSpotFactor = 1.5

// readThaumatin reads the still as refine does, or skips the test when
// the real data are missing.
func readThaumatin(tb testing.TB) (*refine.Image, []byte) {
	tb.Helper()
	raw, err := os.ReadFile(thaumatinCBF)
	if err != nil {
		tb.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	im, err := refine.DecodeImage(raw, thaumatinCBF, 0, 0, 0, 1)
	if err != nil {
		tb.Fatal(err)
	}
	return im, raw
}

// TestThaumatinSpots finds the spots on the whole 2463x2527 still: about
// as many as DIALS, and none made by the module gaps or bad pixels
// (negative values) or by the two lone hot pixels near the beam stop.
func TestThaumatinSpots(t *testing.T) {
	im, raw := readThaumatin(t)
	found := spots.Find(im.Counts, im.Fast, im.Slow, refine.FoundSpotFinder)
	if lo, hi := dialsThaumatinSpots/thaumatinSpotFactor, dialsThaumatinSpots*thaumatinSpotFactor; float64(len(found)) < lo || float64(len(found)) > hi {
		t.Errorf("%d spots found, DIALS %d: outside %.0f..%.0f", len(found), dialsThaumatinSpots, lo, hi)
	}
	c, err := imageio.ReadCBF(bytes.NewReader(raw), thaumatinCBF)
	if err != nil {
		t.Fatal(err)
	}
	// Gaps: a spot within 2 pixels of a gap or bad pixel would be one
	// that the gap's edge made (reading -1 as counts makes ~2000 there).
	nearGap := make([]bool, len(c.Pixels))
	gapPixels := 0
	for i, v := range c.Pixels {
		if v >= 0 {
			continue
		}
		gapPixels++
		f, s := i%im.Fast, i/im.Fast
		for ss := max(s-2, 0); ss < min(s+3, im.Slow); ss++ {
			for ff := max(f-2, 0); ff < min(f+3, im.Fast); ff++ {
				nearGap[ss*im.Fast+ff] = true
			}
		}
	}
	if gapPixels < 500000 {
		t.Fatalf("%d negative pixels: not the PILATUS3 6M module gaps", gapPixels)
	}
	edge := 0
	for _, s := range found {
		if nearGap[int(s.Slow)*im.Fast+int(s.Fast)] {
			edge++
		}
	}
	// A Bragg spot may fall next to a gap; the frame's spots are no
	// denser there than elsewhere, and the gap edges are 6 % of the frame.
	if maxEdge := len(found) / 10; edge > maxEdge {
		t.Errorf("%d of %d spots lie within 2 pixels of a gap or bad pixel (at most %d expected)", edge, len(found), maxEdge)
	}
	// The hot pixels: alone among background of a few counts, each
	// near the count cutoff.
	for _, hot := range [][2]int{{1260, 1319}, {1266, 1323}} {
		if v := c.Pixels[hot[1]*im.Fast+hot[0]]; v < 100000 {
			t.Fatalf("pixel (fast %d, slow %d) is %d, not the hot pixel", hot[0], hot[1], v)
		}
		for _, s := range found {
			if b := s.Box; hot[0] >= b.Fast0 && hot[0] < b.Fast1 && hot[1] >= b.Slow0 && hot[1] < b.Slow1 {
				t.Errorf("hot pixel (fast %d, slow %d) made the spot %+v", hot[0], hot[1], s)
			}
		}
	}
}

// TestThaumatinCountCutoff plants 3x3 blocks at the header's count cutoff
// at random places of the still's background: they are overloads, left out
// by the reader, and the spot finder makes no spot of them.
func TestThaumatinCountCutoff(t *testing.T) {
	_, raw := readThaumatin(t)
	c, err := imageio.ReadCBF(bytes.NewReader(raw), thaumatinCBF)
	if err != nil {
		t.Fatal(err)
	}
	cutoff, err := strconv.Atoi(strings.Fields(c.Values["Count_cutoff"])[0])
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 1))
	const blocks = 20
	var planted [][2]int
	for len(planted) < blocks {
		f, s := 1+rng.IntN(c.Width-2), 1+rng.IntN(c.Height-2)
		ok := true
		for ds := -1; ds <= 1; ds++ {
			for df := -1; df <= 1; df++ {
				ok = ok && c.Pixels[(s+ds)*c.Width+f+df] >= 0 && c.Pixels[(s+ds)*c.Width+f+df] < 10
			}
		}
		if !ok {
			continue // a gap or a spot
		}
		for ds := -1; ds <= 1; ds++ {
			for df := -1; df <= 1; df++ {
				c.Pixels[(s+ds)*c.Width+f+df] = int32(cutoff + rng.IntN(2)) // at or just above
			}
		}
		planted = append(planted, [2]int{f, s})
	}
	var buf bytes.Buffer
	h := imageio.CBFHeader{SizeFast: c.Width, SizeSlow: c.Height, PixelSizeM: 172e-6, DistanceM: 0.351,
		BeamXPixels: 1261.61, BeamYPixels: 1306.96, WavelengthA: 0.96859, CountCutoff: int64(cutoff)}
	if err := imageio.WriteCBF(&buf, h, c.Pixels); err != nil {
		t.Fatal(err)
	}
	im, err := refine.DecodeImage(buf.Bytes(), "planted.cbf", 0, 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := 9 * blocks; im.Overloads < want {
		t.Errorf("%d overloads read, %d planted", im.Overloads, want)
	}
	for _, s := range spots.Find(im.Counts, im.Fast, im.Slow, refine.FoundSpotFinder) {
		for _, p := range planted {
			if math.Abs(s.Fast-float64(p[0])-0.5) < 4 && math.Abs(s.Slow-float64(p[1])-0.5) < 4 {
				t.Errorf("the overloaded block at (fast %d, slow %d) made the spot %+v", p[0], p[1], s)
			}
		}
	}
}

// BenchmarkThaumatin times what gobragg refine -select found and gobragg
// spots do on the whole 2463x2527 still: read and decode the miniCBF,
// find the spots, pick their shoeboxes.
func BenchmarkThaumatin(b *testing.B) {
	_, raw := readThaumatin(b)
	im, _ := readThaumatin(b)
	found := spots.Find(im.Counts, im.Fast, im.Slow, refine.FoundSpotFinder)
	b.Run("read", func(b *testing.B) {
		for range b.N {
			if _, err := refine.DecodeImage(raw, thaumatinCBF, 0, 0, 0, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("find", func(b *testing.B) {
		for range b.N {
			spots.Find(im.Counts, im.Fast, im.Slow, refine.FoundSpotFinder)
		}
	})
	b.Run("shoeboxes", func(b *testing.B) {
		for range b.N {
			spots.Shoeboxes(found, im.Fast, im.Slow, 5)
		}
	})
}
