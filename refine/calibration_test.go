package refine_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/imageio"
	"gobragg/refine"
)

// writeCBF writes a 4x3 miniCBF with a count cutoff of 100 and returns its path.
func writeCBF(t *testing.T, pix []int32) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, imageio.WriteCBF(&b, imageio.CBFHeader{SizeFast: 4, SizeSlow: 3, PixelSizeM: 1e-4, DistanceM: 0.1,
		WavelengthA: 1, StartAngleDeg: 10, AngleIncrementDeg: 0.5, CountCutoff: 100}, pix))
	p := filepath.Join(t.TempDir(), "x.cbf")
	require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
	return p
}

// TestReadCalibrated: each pixel left out for its first reason, and the
// others turned into photons with the pedestal and gain.
func TestReadCalibrated(t *testing.T) {
	nan := math.NaN()
	//                    gap bad  cutoff  above  below  rect rect mask  ok  ok  ok  ok
	path := writeCBF(t, []int32{-1, -2, 100, 90, 3, 20, -1, 30, 40, 50, 60, 70})
	mask := make([]uint16, 12)
	for i := range mask {
		mask[i] = 1
	}
	mask[7] = 0
	cases := []struct {
		name                         string
		cal                          refine.Calibration
		counts                       []float64
		gaps, over, untrusted, maskd int
	}{
		{"plain", refine.Calibration{GainADU: 1}, []float64{nan, nan, nan, 90, 3, 20, nan, 30, 40, 50, 60, 70}, 3, 1, 0, 0},
		{"pedestal and gain", refine.Calibration{GainADU: 2, PedestalADU: 2, OffsetADU: 40},
			[]float64{nan, nan, nan, 44, 0.5, 9, nan, 14, 19, 24, 29, 34}, 3, 1, 0, 0},
		{"everything", refine.Calibration{GainADU: 1, Trusted: &[2]float64{5, 80}, Rects: [][4]int{{1, 1, 3, 2}}, Mask: mask},
			// rect (1..2, 1) holds pixels 5 and 6; 6 is a gap, counted as one.
			[]float64{nan, nan, nan, nan, nan, nan, nan, nan, 40, 50, 60, 70}, 3, 2, 1, 2},
	}
	for _, c := range cases {
		im, err := refine.ReadCalibrated(path, 4, 3, c.cal)
		require.NoError(t, err, c.name)
		for i, want := range c.counts {
			got := im.Counts[i]
			require.True(t, got == want || (math.IsNaN(got) && math.IsNaN(want)), "%s: pixel %d is %g, want %g", c.name, i, got, want)
		}
		require.Equal(t, [4]int{c.gaps, c.over, c.untrusted, c.maskd}, [4]int{im.Gaps, im.Overloads, im.Untrusted, im.Masked}, c.name)
		nans := 0
		for _, v := range im.Counts {
			if math.IsNaN(v) {
				nans++
			}
		}
		require.Equal(t, nans, im.LeftOut(), c.name)
	}
	bad := []struct {
		name string
		cal  refine.Calibration
		want string
	}{
		{"mask of another size", refine.Calibration{GainADU: 1, Mask: make([]uint16, 11)}, "the mask has 11 pixels, the detector 4x3"},
		{"region outside", refine.Calibration{GainADU: 1, Rects: [][4]int{{0, 0, 5, 1}}}, "outside the 4x3 panel"},
		{"empty trusted range", refine.Calibration{GainADU: 1, Trusted: &[2]float64{5, 1}}, "trusted range [5, 1] is empty"},
		{"NaN pedestal", refine.Calibration{GainADU: 1, PedestalADU: nan}, "pedestal NaN"},
		{"gain 0", refine.Calibration{}, "gain must be positive"},
	}
	for _, c := range bad {
		_, err := refine.ReadCalibrated(path, 4, 3, c.cal)
		require.ErrorContains(t, err, c.want, c.name)
		require.True(t, errors.Is(err, refine.ErrBadInput), c.name)
	}
}

// TestReadCalibratedLCysteine reads frame 1 of the L-cysteine wedge with
// its panel's trusted range and mask, as dxtbx masks it: the panel's mask
// rectangles are the 7-pixel and 17-pixel gaps between the 24 modules of
// the PILATUS 2M (2 x 7 x 1679 + 7 x 17 x 1475 - 2 x 7 x 7 x 17 = 197365
// pixels, all -1 in the file), and the file's bad pixels (-2) lie
// outside them; no pixel reaches the count cutoff.
func TestReadCalibratedLCysteine(t *testing.T) {
	model, _ := lcysteine(t)
	frame := filepath.Join(lcysDir, "l-cyst_01_00001.cbf")
	rects, err := model.Panel.MaskRects()
	require.NoError(t, err)
	fast, slow := model.Panel.ImageSize[0], model.Panel.ImageSize[1]
	raw, err := imageio.ReadFrame(frame, imageio.Dims{})
	require.NoError(t, err)
	// What dxtbx leaves out: the rectangles and the values outside the
	// trusted range (-1, 388705), both ends excluded as the list's era
	// defines them.
	inRect := func(i int) bool {
		f, s := i%fast, i/fast
		for _, r := range rects {
			if f >= r[0] && f < r[2] && s >= r[1] && s < r[3] {
				return true
			}
		}
		return false
	}
	lo, hi := model.Panel.TrustedRange[0], model.Panel.TrustedRange[1]
	var rectPix, badOutside, dxtbxOut int
	for i, v := range raw.Pix {
		r := inRect(i)
		untrusted := !(v > lo && v < hi)
		if r {
			rectPix++
		}
		if !r && v < 0 {
			badOutside++
		}
		if r || untrusted {
			dxtbxOut++
		}
	}
	require.Equal(t, 2*7*1679+7*17*1475-2*7*7*17, rectPix, "module gaps")

	im, err := refine.ReadCalibrated(frame, fast, slow, refine.Calibration{GainADU: model.Panel.Gain,
		PedestalADU: model.Panel.Pedestal, Trusted: &model.Panel.TrustedRange, Rects: rects})
	require.NoError(t, err)
	t.Logf("frame 1: %d gap, %d bad (-2), %d overloaded, %d untrusted, %d masked pixels left out of %d",
		rectPix, badOutside, im.Overloads, im.Untrusted, im.Masked, fast*slow)
	require.Equal(t, dxtbxOut, im.LeftOut(), "pixels left out, against dxtbx's rule")
	require.Equal(t, rectPix+badOutside, im.Gaps, "every gap pixel holds a negative value")
	require.Zero(t, im.Masked+im.Untrusted+im.Overloads)
	require.True(t, badOutside > 0 && badOutside < 1000, "bad pixels %d", badOutside)
	require.True(t, strings.HasSuffix(im.Name, "l-cyst_01_00001.cbf"))
}
