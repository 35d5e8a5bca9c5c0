package expt

import (
	"fmt"
	"math"
)

// CSPADLike is a 64-panel detector laid out like the CSPAD of LCLS (its
// dxtbx hierarchy D0 / quadrants D0Q0..3 / sensors D0QqS0..7 / ASICs),
// for tests: four quadrants turned by 90 degrees about the beam, each of
// eight two-ASIC sensors on a 2 x 4 grid, each sensor turned in plane by
// a small angle and lifted off the plane a little, so that every level of
// the hierarchy carries its own frame. ASICs have fast x slow pixels of
// pixelMM; the detector's plane is distanceMM from the sample, across the
// beam (dxtbx's frame: beam along -z). Frames are local, as a list holds them.
func CSPADLike(fast, slow int, pixelMM, distanceMM float64) Detector {
	const (
		gapPixels     = 3    // between the two ASICs of a sensor, and between sensors
		tiltDeg       = 0.15 // in-plane turn of sensor s is (s - 3.5) times this
		liftMMEach    = 0.01 // sensor s sits s times this above the quadrant's plane
		holePixels    = 4    // half the gap around the beam
		sensorsPerRow = 2    // a quadrant is 2 sensors wide, 4 high
	)
	gap := gapPixels * pixelMM
	wMM := 2*float64(fast)*pixelMM + gap
	hMM := float64(slow) * pixelMM
	root := &Group{Name: "D0", Local: Frame{Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, -1, 0}, Origin: [3]float64{0, 0, -distanceMM}}}
	var panels []Panel
	groups := 1
	for q := range 4 {
		s, c := math.Sincos(float64(q) * math.Pi / 2)
		// Exact quarter turns: Sincos leaves 6e-17 where 0 belongs.
		s, c = math.Round(s), math.Round(c)
		quad := &Group{Name: fmt.Sprintf("D0Q%d", q), Index: groups,
			Local: Frame{Fast: [3]float64{c, s, 0}, Slow: [3]float64{-s, c, 0}}}
		groups++
		root.Groups = append(root.Groups, quad)
		for k := range 8 {
			ts, tc := math.Sincos((float64(k) - 3.5) * tiltDeg * math.Pi / 180)
			col, row := k%sensorsPerRow, k/sensorsPerRow
			sensor := &Group{Name: fmt.Sprintf("D0Q%dS%d", q, k), Index: groups,
				Local: Frame{Fast: [3]float64{tc, ts, 0}, Slow: [3]float64{-ts, tc, 0},
					Origin: [3]float64{holePixels*pixelMM + float64(col)*(wMM+gap), holePixels*pixelMM + float64(row)*(hMM+gap), float64(k) * liftMMEach}}}
			groups++
			quad.Groups = append(quad.Groups, sensor)
			for a := range 2 {
				sensor.Panels = append(sensor.Panels, len(panels))
				panels = append(panels, Panel{
					Name: fmt.Sprintf("D0Q%dS%dA%d", q, k, a), Type: "SENSOR_PAD",
					FastAxis: [3]float64{1, 0, 0}, SlowAxis: [3]float64{0, 1, 0},
					Origin:    [3]float64{float64(a) * (float64(fast)*pixelMM + gap), 0, 0},
					ImageSize: [2]int{fast, slow}, PixelSizeMM: [2]float64{pixelMM, pixelMM},
					TrustedRange: [2]float64{-1, 1e6}, Material: "Si", Mask: []any{}, Gain: 1,
					PxMmStrategy: map[string]any{"type": "SimplePxMmStrategy"},
				})
			}
		}
	}
	return NewDetector(panels, root)
}
