package beam_test

import (
	"fmt"

	"gobragg/beam"
	"gobragg/dual"
)

// A 1 mrad square divergence in 2x1 steps and two wavelengths 1% apart,
// in the MOSFLM frame (beam along +x, polarization along +z).
func ExampleFromGrid() {
	g := beam.Grid{Lambda0M: dual.C(1e-10), RoundDiv: false}
	g.HDivRange, g.HDivStep, g.HDivSteps = beam.AutoSteps(0.001, -1, 2)
	g.VDivRange, g.VDivStep, g.VDivSteps = beam.AutoSteps(-1, -1, 0)
	g.Dispersion, g.DispStep, g.DispSteps = beam.AutoSteps(0.01, -1, 2)
	src := beam.FromGrid(g, [3]float64{1, 0, 0}, [3]float64{0, 0, 1}, [3]float64{0, -1, 0}, 10)
	for _, line := range beam.Log(&g, src) {
		fmt.Println(line)
	}
	// Output:
	// divergence deviation: -0.0005 0
	// divergence deviation: 0.0005 0
	// lambda0 = 9.95e-11
	// lambda1 = 1.005e-10
	//   created a total of 4 sources:
	// -10 0 0.005   0.25 9.95e-11
	// -10 0 0.005   0.25 1.005e-10
	// -10 -0 -0.005   0.25 9.95e-11
	// -10 -0 -0.005   0.25 1.005e-10
}
