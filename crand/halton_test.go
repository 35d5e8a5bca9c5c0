package crand

import "testing"

func TestHaltonDraw(t *testing.T) {
	for _, c := range []struct {
		i          int
		r1, r2, r3 float64
	}{
		{1, 0, 2.0/3 - 1, 2.0/5 - 1},                // 1/2, 1/3, 1/5
		{2, 2*0.25 - 1, 2*2.0/3 - 1, 2*2.0/5 - 1},   // 1/4, 2/3, 2/5
		{3, 2*0.75 - 1, 2*1.0/9 - 1, 2*3.0/5 - 1},   // 3/4, 1/9, 3/5
		{6, 2*0.375 - 1, 2*2.0/9 - 1, 2*6.0/25 - 1}, // 110 -> 0.011, 20 -> 0.02, 11 -> 0.11
	} {
		r1, r2, r3 := HaltonDraw(c.i)
		// exact: every value is a short sum of powers of the base
		if d := [3]float64{r1 - c.r1, r2 - c.r2, r3 - c.r3}; d[0]*d[0]+d[1]*d[1]+d[2]*d[2] > 1e-30 {
			t.Errorf("HaltonDraw(%d) = %v %v %v, want %v %v %v", c.i, r1, r2, r3, c.r1, c.r2, c.r3)
		}
	}
}
