package compare_test

import (
	"fmt"

	"gobragg/compare"
	"gobragg/raster"
)

// Two 3x2 images where B is A with one pixel 10% brighter.
func ExampleRun() {
	a := &compare.Image{Name: "a.bin", Image: raster.Whole([]float64{0, 1, 0, 2, 9, 3}, 3, 2)}
	b := &compare.Image{Name: "b.bin", Image: raster.Whole([]float64{0, 1, 0, 2, 9.9, 3}, 3, 2)}
	res, err := compare.Run(a, b, compare.DefaultOptions)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := res.Stats
	fmt.Printf("correlation %.6f, rmse %.4f\n", s.Correlation, s.RMSE)
	fmt.Printf("max |A-B| %.2f at slow %d fast %d, %.4f of max |B|\n", s.MaxAbsDiff, s.MaxAbsDiffSlow, s.MaxAbsDiffFast, s.MaxRelDiff)
	fmt.Printf("sums %g and %g, ratio %.4f\n", s.SumA, s.SumB, s.SumRatio)
	fmt.Printf("brightest peak of A at slow %d fast %d, %g px from B's\n", res.PeaksA[0].Slow, res.PeaksA[0].Fast, res.Matches[0].Distance)
	fmt.Println(res.Verdict())
	// Output:
	// correlation 0.999429, rmse 0.3674
	// max |A-B| 0.90 at slow 1 fast 1, 0.0909 of max |B|
	// sums 15 and 15.9, ratio 0.9434
	// brightest peak of A at slow 1 fast 1, 0 px from B's
	// FAIL: correlation 0.99942863 (need >= 0.9995), sum ratio A/B 0.943396226 (need 0.99..1.01)
}
