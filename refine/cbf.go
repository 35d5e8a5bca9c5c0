package refine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gobragg/imageio"
)

// cbfCounts converts a miniCBF frame's values, counts in ADU, to photons
// (value - pedestalADU) / gainADU (Pilatus frames have no pedestal);
// negative values (-1 gaps, -2 bad pixels on Pilatus detectors) and
// values at or above the count cutoff (cbfCutoff) are left out. The wedge
// comes from the Start_angle and Angle_increment header lines, which must
// be finite numbers when present.
func cbfCounts(im *Image, c *imageio.CBF, pedestalADU, gainADU float64) error {
	var err error
	if im.OscStartDeg, err = cbfAngle(c, "Start_angle"); err != nil {
		return err
	}
	if im.OscRangeDeg, err = cbfAngle(c, "Angle_increment"); err != nil {
		return err
	}
	cutoff, err := cbfCutoff(c)
	if err != nil {
		return err
	}
	cbfPhotons(im, cutoff, pedestalADU, gainADU)
	return nil
}

// cbfPhotons turns an image's CBF values (ADU) into photons in place,
// (value - pedestalADU) / gainADU, leaving out (NaN, counted) negative
// values (Pilatus gaps -1, bad pixels -2) and values at or above cutoff.
func cbfPhotons(im *Image, cutoff, pedestalADU, gainADU float64) {
	for i, v := range im.Counts {
		switch {
		case math.IsNaN(v): // left out already
		case v < 0:
			im.Counts[i] = math.NaN()
			im.Gaps++
		case v >= cutoff:
			im.Counts[i] = math.NaN()
			im.Overloads++
		default:
			im.Counts[i] = (v - pedestalADU) / gainADU
		}
	}
}

// cbfAngle is a "# KEY value deg." header line's value in degrees, NaN
// when the line is absent; a value that is not a finite number is an error.
func cbfAngle(c *imageio.CBF, key string) (float64, error) {
	text, ok := c.Values[key]
	if !ok {
		return math.NaN(), nil
	}
	f := strings.Fields(text)
	if len(f) == 0 {
		return 0, fmt.Errorf("header # %s has no value", key)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("header # %s %s is not a finite number", key, f[0])
	}
	return v, nil
}
