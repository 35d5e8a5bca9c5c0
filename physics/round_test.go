package physics

import (
	"math"
	"testing"
)

func TestRoundHalfUp(t *testing.T) {
	tests := []struct {
		x    float64
		want int
	}{
		// ceil(x-0.5): exact halves go down
		{0, 0}, {0.49, 0}, {0.5, 0}, {-0.5, -1}, {-0.51, -1}, {1.5, 1}, {-1.5, -2}, {0.51, 1},
		{2.4999999999999996, 2}, {-7.2, -7}, {29.000001, 29}, {-0.0, 0},
		{0.5000000000000001, 1},
		// 0.49999999999999994 − 0.5 = −2⁻⁵⁴ exactly, so ceil gives 0
		{0.49999999999999994, 0},
	}
	for _, tc := range tests {
		want := int(math.Ceil(tc.x - 0.5))
		if got := RoundHalfUp(tc.x); got != want {
			t.Errorf("RoundHalfUp(%v) = %d, ceil(x-0.5) = %d", tc.x, got, want)
		}
		if RoundHalfUp(tc.x) != tc.want {
			t.Errorf("RoundHalfUp(%v) = %d, want %d", tc.x, RoundHalfUp(tc.x), tc.want)
		}
	}
}
