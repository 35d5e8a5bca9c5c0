package refine

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"gobragg/imageio"
)

// decodeCBF reads a miniCBF frame: its values are counts in ADU without a
// pedestal (Pilatus frames have none), divided by gainADU; negative values
// (-1 gaps, -2 bad pixels on Pilatus detectors) are left out. The wedge
// comes from the Start_angle and Angle_increment header lines.
func decodeCBF(data []byte, name string, _, gainADU float64) (*Image, error) {
	c, err := imageio.ReadCBF(bytes.NewReader(data), name)
	if err != nil {
		return nil, badf("%v", err)
	}
	im := &Image{Name: name, Format: "cbf", Fast: c.Width, Slow: c.Height, Counts: make([]float64, len(c.Pixels)),
		OscStartDeg: cbfAngle(c, "Start_angle"), OscRangeDeg: cbfAngle(c, "Angle_increment")}
	for i, v := range c.Pixels {
		if v < 0 {
			im.Counts[i] = math.NaN()
			continue
		}
		im.Counts[i] = float64(v) / gainADU
	}
	return im, nil
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
