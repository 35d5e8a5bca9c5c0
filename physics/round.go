package physics

import "math"

// RoundHalfUp returns ceil(x-0.5), exactly as nanoBragg computes the nearest
// Miller index h0 = ceil(h-0.5) (x-0.5 is rounded to float64 first, as in
// C). Despite the name (kept for the API), exact halves go DOWN: 0.5 → 0,
// 1.5 → 1, −0.5 → −1. For NaN or values outside the int range the result is
// whatever Go's float-to-int conversion gives; it never panics.
func RoundHalfUp(x float64) int { return int(math.Ceil(x - 0.5)) }
