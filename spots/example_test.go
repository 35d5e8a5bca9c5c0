package spots_test

import (
	"fmt"

	"gobragg/spots"
)

// Find a single bright spot on a flat background of 2 counts.
func ExampleFind() {
	const fast, slow = 20, 16
	counts := make([]float64, fast*slow)
	for i := range counts {
		counts[i] = 2
	}
	counts[5*fast+8] = 60 // slow 5, fast 8
	counts[5*fast+9] = 30 // and its neighbour on the fast side
	for _, s := range spots.Find(counts, fast, slow, spots.Finder{}) {
		fmt.Printf("centroid fast %.2f slow %.2f, %d pixels, signal %.0f counts\n", s.Fast, s.Slow, s.Pixels, s.Signal)
	}
	// Output:
	// centroid fast 8.83 slow 5.50, 2 pixels, signal 86 counts
}
