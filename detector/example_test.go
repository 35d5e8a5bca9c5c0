package detector_test

import (
	"fmt"

	"gobragg/detector"
	"gobragg/dual"
)

// Example builds nanoBragg's default MOSFLM detector at 100 mm with 128x128
// pixels and prints its C log lines and the derivative of the origin with
// respect to the distance.
func Example() {
	in := detector.DefaultInput()
	in.FPixels, in.SPixels = 128, 128
	in.DetsizeFM = in.PixelSizeM * 128
	in.DetsizeSM = in.PixelSizeM * 128
	in.DistanceM = dual.Var(100/1000.0, 0, 1) // seed slot 0
	g, err := detector.Build(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	l := g.Log()
	for _, line := range l.Setup {
		fmt.Println(line)
	}
	fmt.Println(l.Distance)
	fmt.Println(l.Summary[1])
	fmt.Printf("d pix0 / d distance = %g %g %g\n", g.Pix0[0].Grad(0), g.Pix0[1].Grad(0), g.Pix0[2].Grad(0))
	// Output:
	// mosflm convention selected.
	// pivoting detector around direct beam spot
	// XDS incident beam: 0 0 1
	//   distance=0.1 detsize=0.0128x0.0128  pixel=0.0001 meters (128x128 pixels)
	//   Fbeam=0.0065 Sbeam=0.0065
	// d pix0 / d distance = 1 0 0
}
