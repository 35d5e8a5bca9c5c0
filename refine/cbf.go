package refine

import (
	"math"
	"strconv"
	"strings"

	"gobragg/imageio"
)

// cbfCounts converts a miniCBF frame's values, counts in ADU without a
// pedestal (Pilatus frames have none), to photons by dividing by gainADU;
// negative values (-1 gaps, -2 bad pixels on Pilatus detectors) are left
// out. The wedge comes from the Start_angle and Angle_increment header
// lines.
func cbfCounts(im *Image, c *imageio.CBF, gainADU float64) {
	im.OscStartDeg, im.OscRangeDeg = cbfAngle(c, "Start_angle"), cbfAngle(c, "Angle_increment")
	for i, v := range im.Counts {
		if v < 0 {
			im.Counts[i] = math.NaN()
			continue
		}
		im.Counts[i] = v / gainADU
	}
}

// cbfAngle is a "# KEY value deg." header line's value in degrees, NaN when absent.
func cbfAngle(c *imageio.CBF, key string) float64 {
	f := strings.Fields(c.Values[key])
	if len(f) == 0 {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}
