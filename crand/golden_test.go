package crand

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"gobragg/internal/golden"
	"gobragg/raster"
)

// noiseSettings extracts what the noise loop of nanoBragg depends on from a
// case's command line: seed = -atoi(-seed), -adc (default 40) and -roi
// (default: whole detector, with xmax = fpixels and ymax = spixels as C).
func noiseSettings(c *golden.Case) (seed int64, adc float64, roi raster.ROI, err error) {
	adc = 40
	roi = raster.ROI{0, c.Dims.Fast, 0, c.Dims.Slow}
	haveSeed := false
	for i := 0; i < len(c.Args); i++ {
		switch c.Args[i] {
		case "-seed":
			v, e := strconv.Atoi(c.Args[i+1])
			if e != nil {
				return 0, 0, roi, fmt.Errorf("case %s: -seed: %w", c.Name, e)
			}
			seed, haveSeed = -int64(v), true
		case "-adc":
			v, e := strconv.ParseFloat(c.Args[i+1], 64)
			if e != nil {
				return 0, 0, roi, fmt.Errorf("case %s: -adc: %w", c.Name, e)
			}
			adc = v
		case "-roi":
			for k := 0; k < 4; k++ {
				v, e := strconv.Atoi(c.Args[i+1+k])
				if e != nil {
					return 0, 0, roi, fmt.Errorf("case %s: -roi: %w", c.Name, e)
				}
				roi[k] = v
			}
		}
	}
	if !haveSeed {
		return 0, 0, roi, fmt.Errorf("case %s: no -seed (time-seeded noise cannot be reproduced)", c.Name)
	}
	return seed, adc, roi, nil
}

var photonsLine = regexp.MustCompile(`(?m)^(\d+) photons on noise image \((\d+) overloads\)`)

// TestPoissonImageGolden renders the noise image of every golden case that
// has one and compares it with C's, pixel for pixel, and the photon and
// overload counts with c.log. All pixels are required to agree: ran1 is
// integer arithmetic and the float32 steps of poidev are reproduced
// exactly; the only possible source of a difference is a last-bit
// difference of exp/log/tan between Go and glibc changing a float32
// rounding, for which the tolerance is 0.1% of the pixels.
func TestPoissonImageGolden(t *testing.T) {
	m := golden.Require(t)
	ran := 0
	for i := range m.Cases {
		c := &m.Cases[i]
		if _, ok := c.Outputs["noiseimage.img"]; !ok {
			continue
		}
		ran++
		t.Run(c.Name, func(t *testing.T) {
			seed, adc, roi, err := noiseSettings(c)
			if err != nil {
				t.Fatal(err)
			}
			n := c.Dims.Fast * c.Dims.Slow
			raw, err := m.ReadAll(c, "floatimage.bin")
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != 4*n {
				t.Fatalf("floatimage.bin has %d bytes, manifest dims give %d float32 pixels", len(raw), n)
			}
			img := golden.Float32s(raw)
			raw, err = m.ReadAll(c, "noiseimage.img")
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != 512+2*n {
				t.Fatalf("noiseimage.img: %d bytes, want 512 + 2*%d", len(raw), n)
			}
			want := golden.Uint16s(raw, 512)
			logText, err := m.ReadAll(c, "c.log")
			if err != nil {
				t.Fatal(err)
			}
			counts := photonsLine.FindSubmatch(logText)
			if counts == nil {
				t.Fatalf("c.log of %s has no photon count line", c.Name)
			}

			got, photons, overloads := New().PoissonImage(raster.Image[float32]{Pix: img, Fast: c.Dims.Fast, Slow: c.Dims.Slow, ROI: roi}, &seed, adc)
			same, firstBad := 0, -1
			for i := range want {
				if got[i] == want[i] {
					same++
				} else if firstBad < 0 {
					firstBad = i
				}
			}
			t.Logf("%s: %d of %d pixels identical, %.0f photons, %d overloads", c.Name, same, n, photons, overloads)
			if float64(same) < 0.999*float64(n) {
				t.Errorf("%s: only %d of %d pixels identical; first differing pixel slow %d fast %d: got %d want %d",
					c.Name, same, n, firstBad/c.Dims.Fast, firstBad%c.Dims.Fast, got[firstBad], want[firstBad])
			}
			if s := fmt.Sprintf("%.0f", photons); s != string(counts[1]) {
				t.Errorf("%s: photons %s, c.log says %s", c.Name, s, counts[1])
			}
			if s := strconv.Itoa(overloads); s != string(counts[2]) {
				t.Errorf("%s: overloads %s, c.log says %s", c.Name, s, counts[2])
			}
		})
	}
	if ran == 0 {
		t.Fatal("no golden case has noiseimage.img")
	}
}

var missetLine = regexp.MustCompile(`random orientation misset angles: (\S+) (\S+) (\S+) deg`)

// TestRandomMissetGolden checks "-misset_seed 12345 -misset random" against
// the angles C printed (degrees, %f).
func TestRandomMissetGolden(t *testing.T) {
	m := golden.Require(t)
	c, ok := m.Case("misset_random_seeded")
	if !ok {
		t.Fatal("manifest has no case misset_random_seeded")
	}
	logText, err := m.ReadAll(c, "c.log")
	if err != nil {
		t.Fatal(err)
	}
	printed := missetLine.FindSubmatch(logText)
	if printed == nil {
		t.Fatal("misset_random_seeded/c.log has no random misset line")
	}
	seed := int64(-12345) // C: misset_seed = -atoi("12345")
	angles := RandomMisset(New(), &seed)
	m1pi := 0.31830988618379067154 // M_1_PI as a double
	rtd := 180.0 * m1pi
	for i, name := range []string{"rotx", "roty", "rotz"} {
		if got := fmt.Sprintf("%f", angles[i]*rtd); got != string(printed[i+1]) {
			t.Errorf("%s = %s deg, C printed %s", name, got, printed[i+1])
		}
	}
}
