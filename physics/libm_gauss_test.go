package physics

import (
	"math"
	"testing"
)

// gaussFactor is exp above the smallest normal float64 and 0 below it,
// where even the largest spot's F_latt² (N = 1000 per axis) is 0 anyway.
func TestGaussFactor(t *testing.T) {
	for _, x := range []float64{0, -1e-300, -0.5, -700, minNormalLog, math.Nextafter(minNormalLog, 0)} {
		if got, want := gaussFactor(x), math.Exp(x); got != want {
			t.Errorf("gaussFactor(%v) = %v, want exp %v", x, got, want)
		}
	}
	const peak = 1e9 // Na·Nb·Nc of 1000 cells along each axis
	for _, x := range []float64{math.Nextafter(minNormalLog, -1000), -720, -745, -746, -1e6, math.Inf(-1)} {
		if got := gaussFactor(x); got != 0 {
			t.Errorf("gaussFactor(%v) = %v, want 0", x, got)
		}
		if f := peak * math.Exp(x); f*f != 0 {
			t.Errorf("at %v exp's F_latt² = %v: the cut would change a pixel", x, f*f)
		}
	}
}
