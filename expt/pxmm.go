package expt

import (
	"math"

	"gonum.org/v1/gonum/spatial/r3"
)

// parallaxStrategy is the px_mm_strategy of a panel whose pixel
// coordinates dxtbx corrects for the depth at which X-rays are absorbed.
const parallaxStrategy = "ParallaxCorrectedPxMmStrategy"

// PixelOf converts a position on the panel's surface, in mm along its fast
// and slow axes from its origin, to dxtbx's pixel coordinates (fast, slow
// from the first pixel's outer corner) as the panel's px_mm_strategy does.
// The parallax-corrected strategy moves the position along the ray by
// dxtbx's attenuation length, (1 - exp(-x))/mu - t exp(-x) with t the path
// through the sensor and x = mu t, projected on the panel's axes.
func (p Panel) PixelOf(xyMM [2]float64) [2]float64 {
	x, y := xyMM[0], xyMM[1]
	if s, _ := p.PxMmStrategy["type"].(string); s == parallaxStrategy && p.MuPerMM > 0 && p.ThicknessMM > 0 {
		fast, slow, origin := vec(p.FastAxis), vec(p.SlowAxis), vec(p.Origin)
		ray := r3.Unit(r3.Add(origin, r3.Add(r3.Scale(x, fast), r3.Scale(y, slow))))
		normal := r3.Cross(fast, slow)
		if r3.Dot(normal, origin) < 0 {
			normal = r3.Scale(-1, normal)
		}
		if cos := r3.Dot(ray, normal); cos > 0 {
			path := p.ThicknessMM / cos
			o := 1/p.MuPerMM - (path+1/p.MuPerMM)*math.Exp(-p.MuPerMM*path)
			x += o * r3.Dot(ray, fast)
			y += o * r3.Dot(ray, slow)
		}
	}
	return [2]float64{x / p.PixelSizeMM[0], y / p.PixelSizeMM[1]}
}
