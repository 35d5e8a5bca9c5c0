package expt

import "math"

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
		var ray [3]float64
		for i := range ray {
			ray[i] = p.Origin[i] + x*p.FastAxis[i] + y*p.SlowAxis[i]
		}
		r := math.Sqrt(ray[0]*ray[0] + ray[1]*ray[1] + ray[2]*ray[2])
		f, s := p.FastAxis, p.SlowAxis
		normal := [3]float64{f[1]*s[2] - f[2]*s[1], f[2]*s[0] - f[0]*s[2], f[0]*s[1] - f[1]*s[0]}
		if normal[0]*p.Origin[0]+normal[1]*p.Origin[1]+normal[2]*p.Origin[2] < 0 {
			normal = [3]float64{-normal[0], -normal[1], -normal[2]}
		}
		cos := (ray[0]*normal[0] + ray[1]*normal[1] + ray[2]*normal[2]) / r
		if cos > 0 {
			path := p.ThicknessMM / cos
			o := 1/p.MuPerMM - (path+1/p.MuPerMM)*math.Exp(-p.MuPerMM*path)
			x += o * (ray[0]*f[0] + ray[1]*f[1] + ray[2]*f[2]) / r
			y += o * (ray[0]*s[0] + ray[1]*s[1] + ray[2]*s[2]) / r
		}
	}
	return [2]float64{x / p.PixelSizeMM[0], y / p.PixelSizeMM[1]}
}
