package refine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gobragg/imageio"
)

// cbfCounts converts a miniCBF frame's values, counts in ADU without a
// pedestal (Pilatus frames have none), to photons by dividing by gainADU;
// negative values (-1 gaps, -2 bad pixels on Pilatus detectors) are left
// out, and so are overloads, counts at or above the header's Count_cutoff
// (counted in Overloads). The wedge comes from the Start_angle and Angle_increment header
// lines, which must be finite numbers when present.
func cbfCounts(im *Image, c *imageio.CBF, gainADU float64) error {
	var err error
	if im.OscStartDeg, err = cbfAngle(c, "Start_angle"); err != nil {
		return err
	}
	if im.OscRangeDeg, err = cbfAngle(c, "Angle_increment"); err != nil {
		return err
	}
	cutoff, err := cbfCountCutoff(c)
	if err != nil {
		return err
	}
	for i, v := range im.Counts {
		if v < 0 {
			im.Counts[i] = math.NaN()
			continue
		}
		if v >= cutoff {
			im.Counts[i] = math.NaN()
			im.Overloads++
			continue
		}
		im.Counts[i] = v / gainADU
	}
	return nil
}

// cbfCountCutoff is the "# Count_cutoff N counts" header value, the counts
// at which dxtbx calls a Pilatus pixel overloaded; +Inf when the line is
// absent or not positive (no cutoff), an error when it is not a number.
func cbfCountCutoff(c *imageio.CBF) (float64, error) {
	text, ok := c.Values["Count_cutoff"]
	if !ok {
		return math.Inf(1), nil
	}
	f := strings.Fields(text)
	if len(f) == 0 {
		return 0, fmt.Errorf("header # Count_cutoff has no value")
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || math.IsNaN(v) {
		return 0, fmt.Errorf("header # Count_cutoff %s is not a number", f[0])
	}
	if v <= 0 {
		return math.Inf(1), nil
	}
	return v, nil
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
