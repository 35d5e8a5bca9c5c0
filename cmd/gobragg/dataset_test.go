package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/compare"
)

// tinyCrystal is a small simulation for end-to-end tests of -expt and CBF.
const tinyCrystal = "-cell 50 60 70 90 90 90 -misset 10 20 30 -default_F 100 -N 5 -detpixels_f 64 -detpixels_s 48 -pixel 0.4 -distance 60 -Xbeam 10 -Ybeam 7 -nopgm -noprogress -seed 5 -osc 0.5"

// TestExptRoundTripIsBitIdentical: simulate with -expt, simulate again from
// the written list with -expt_in (and the options a list does not hold:
// crystal size, structure factors, sampling, seeds), compare the images
// pixel for pixel, for a plain MOSFLM detector with mosaic spread and
// polarization, a rotated and swung detector, and the XDS convention (whose
// frame -expt_in turns into MOSFLM's: mosaic domains would then be drawn
// in a turned frame, so that case has none).
func TestExptRoundTripIsBitIdentical(t *testing.T) {
	common := "-default_F 100 -N 5 -nopgm -noprogress -seed 5 -oversample 2 -mosaic_dom 3"
	for _, c := range []struct{ name, geometry string }{
		{"mosflm", "-mosaic 0.2 -polar 0.9"},
		{"rotated two-theta", "-detector_rotx 4 -detector_roty -3 -detector_rotz 2 -twotheta 8 -mosaic 0.2"},
		{"xds", "-xds -Xbeam 12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			mustRun(t, dir, append(strings.Fields(tinyCrystal+" "+common+" "+c.geometry),
				"-expt", "truth.expt", "-floatfile", "a.bin", "-noisefile", "a_001.img")...)
			mustRun(t, dir, append(strings.Fields(common), "-expt_in", "truth.expt", "-floatfile", "b.bin", "-noisefile", "b_001.img")...)
			// The SMV headers differ (the second run's convention is
			// custom, its beam-centre keys say so); the pixels do not.
			for _, pair := range [][2]string{{"a.bin", "b.bin"}, {"a_001.img", "b_001.img"}} {
				a, err := compare.Load(filepath.Join(dir, pair[0]), compare.Dims{Fast: 64, Slow: 48})
				require.NoError(t, err)
				b, err := compare.Load(filepath.Join(dir, pair[1]), compare.Dims{Fast: 64, Slow: 48})
				require.NoError(t, err)
				diff := 0
				for i := range a.Pix {
					if math.Float64bits(a.Pix[i]) != math.Float64bits(b.Pix[i]) {
						diff++
					}
				}
				require.Zero(t, diff, "%s and %s: %d pixels differ", pair[0], pair[1], diff)
			}
		})
	}
}

// TestDatasetBadInput: one clear line, exit status 2 and nothing written.
func TestDatasetBadInput(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, append(strings.Fields(tinyCrystal), "-expt", "good.expt", "-cbffile", "good_001.cbf", "-nonoise")...)
	good, err := os.ReadFile(filepath.Join(dir, "good.expt"))
	require.NoError(t, err)
	cbf, err := os.ReadFile(filepath.Join(dir, "good_001.cbf"))
	require.NoError(t, err)
	marker := bytes.Index(cbf, []byte{0x0c, 0x1a, 0x04, 0xd5}) + 4
	corrupt := append([]byte(nil), cbf...)
	corrupt[marker+3] ^= 0x80
	// A second panel, as good as the first and in the hierarchy: the
	// refusal is the simulation's, not the list's.
	panels := strings.Replace(string(good), `"children": [
          {
            "panel": 0
          }
        ]`, `"children": [{"panel": 0}, {"panel": 1}]`, 1)
	first := strings.Index(panels, `"panels": [`) + len(`"panels": [`)
	end := strings.Index(panels, `"hierarchy"`)
	panel := strings.TrimSuffix(strings.TrimSpace(panels[first:end]), ",")
	panel = strings.TrimSuffix(strings.TrimSpace(panel), "]")
	panels = panels[:first] + panel + "," + panels[first:]
	noCrystal := strings.Replace(string(good), `"crystal": 0,`, ``, 1)
	inputs := map[string][]byte{
		"two_panels.expt": []byte(panels), "no_crystal.expt": []byte(noCrystal),
		"broken.expt": good[:len(good)/3], "corrupt_001.cbf": corrupt,
	}
	for name, data := range inputs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	before := listDir(t, dir)
	sim := strings.Fields("-default_F 100 -N 5 -nopgm -noprogress")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"two panels and a PNG", append(sim, "-expt_in", "two_panels.expt", "-pngfile", "two.png"), "-pngfile: writes one panel's image or pixels; the -expt_in detector has 2 panels"},
		{"no crystal", append(sim, "-expt_in", "no_crystal.expt"), "no crystal"},
		{"broken JSON", append(sim, "-expt_in", "broken.expt"), "not valid JSON"},
		{"corrupt CBF (compare)", []string{"compare", "corrupt_001.cbf", "good_001.cbf"}, "corrupt_001.cbf"},
		{"corrupt CBF (gradient -target)", append([]string{"gradient", "-wrt", "distance", "-target", "corrupt_001.cbf"}, strings.Fields(tinyCrystal)...), "corrupt_001.cbf"},
		{"template without #", append([]string{"sweep", "-frames", "2", "-template", "frames.img"}, strings.Fields(tinyCrystal)...), "no '#'"},
		{"stills template without #", append([]string{"stills", "-n", "2", "-template", "shots.cbf"}, strings.Fields(tinyCrystal)[3:]...), "no '#'"},
	}
	for _, c := range cases {
		r := runIn(t, dir, c.args...)
		require.Empty(t, r.panicked, c.name)
		require.Equal(t, 2, r.code, "%s: exit status (stderr %q)", c.name, r.stderr)
		require.Equal(t, 1, strings.Count(r.stderr, "\n"), "%s: one line: %q", c.name, r.stderr)
		require.Contains(t, r.stderr, c.want, c.name)
		require.Equal(t, before, listDir(t, dir), "%s: nothing written", c.name)
	}
}
