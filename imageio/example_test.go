package imageio_test

import (
	"bytes"
	"fmt"

	"gobragg/imageio"
	"gobragg/raster"
)

func ExampleFormatG() {
	for _, x := range []float64{565.374749309139, 1e6, 1.5e-7, 100, -0.0} {
		fmt.Println(imageio.FormatG(x))
	}
	// Output:
	// 565.375
	// 1e+06
	// 1.5e-07
	// 100
	// 0
}

// A 2x2 float image becomes nanoBragg's integer SMV frame.
func ExampleWriteSMV() {
	img := []float32{0, 1.5, 10, 20}
	scale := imageio.AutoIntScale(20)
	pix := imageio.IntImage(raster.Whole(img, 2, 2), scale, 40)
	h := imageio.SMVHeader{SizeFast: 2, SizeSlow: 2, PixelSizeMM: 0.1, DistanceMM: 100, WavelengthA: 1}
	var buf bytes.Buffer
	if err := imageio.WriteSMV(&buf, h, pix); err != nil {
		fmt.Println(err)
		return
	}
	size := buf.Len()
	s, err := imageio.ReadSMV(&buf, "example.img")
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := s.Value("DISTANCE") // C's ValueOf: the last match is CLOSE_DISTANCE (0 here)
	fmt.Println(size, s.Width, s.Height, s.Pixels, d)
	// Output:
	// 520 2 2 [40 4165 27540 55040] 0
}
