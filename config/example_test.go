package config_test

import (
	"errors"
	"fmt"

	"gobragg/config"
)

func ExampleParse() {
	s, err := config.Parse([]string{
		"-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100",
		"-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", "128",
		"-osc", "1", "-phisteps", "5",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Resolve(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("lambda %g m, distance %g m, pixel %g m, %dx%d pixels\n", s.Lambda0, s.Distance, s.PixelSize, s.FPixels, s.SPixels)
	fmt.Printf("%d phi steps of %.2f deg, convention %v\n", s.PhiSteps, s.PhiStep*180/3.141592653589793, s.Convention)

	_, err = config.Parse([]string{"-distnce", "100"})
	var ue *config.UsageError
	fmt.Println(errors.As(err, &ue), err)
	// Output:
	// lambda 1e-10 m, distance 0.1 m, pixel 0.0001 m, 128x128 pixels
	// 5 phi steps of 0.20 deg, convention mosflm
	// true -distnce: unknown option; did you mean -distance?
}
