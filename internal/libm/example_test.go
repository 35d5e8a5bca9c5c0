package libm_test

import (
	"fmt"
	"math"

	"gobragg/internal/libm"
)

// At the float64 nearest pi/2, where the cosine is tiny, Go's math.Cos
// loses its last bits; glibc's cos, which nanoBragg calls, returns the
// correctly rounded value.
func ExampleCos() {
	x := math.Pi / 2
	fmt.Printf("%x\n%x\n", libm.Cos(x), math.Cos(x))
	// Output:
	// 0x1.1a62633145c07p-54
	// 0x1.1a62633145cp-54
}
