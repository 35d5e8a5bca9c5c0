package crand_test

import (
	"fmt"
	"math"

	"gobragg/crand"
	"gobragg/raster"
)

// What "nanoBragg -misset_seed 12345 -misset random" prints.
func ExampleRandomMisset() {
	seed := int64(-12345) // C stores -atoi(value)
	m := crand.RandomMisset(crand.New(), &seed)
	rtd := 180 / math.Pi
	fmt.Printf("%f %f %f deg\n", m[0]*rtd, m[1]*rtd, m[2]*rtd)
	// Output: 105.720755 -34.951318 -97.823571 deg
}

// One Generator per run: mosaic domains and the noise image draw from the
// same ran1 tables, each from its own seed variable.
func ExampleGenerator_PoissonImage() {
	g := crand.New()
	mosaicSeed := int64(-42)
	for d := 0; d < 3; d++ {
		g.MosaicRotationUmat(float32(0.8*math.Pi/180), &mosaicSeed)
	}
	img := []float32{0, 2.5, 30, 0.1}
	noiseSeed := int64(-1)
	px, photons, overloads := g.PoissonImage(raster.Whole(img, 2, 2), &noiseSeed, 40)
	fmt.Println(len(px), photons > 0, overloads)
	// Output: 4 true 0
}
