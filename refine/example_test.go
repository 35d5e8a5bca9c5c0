package refine_test

import (
	"fmt"
	"math"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/refine"
	"gobragg/sim"
)

// Refine the detector distance of a noise-free 48x48 image from a start
// 0.3 mm off. The image is its own truth, so the fit returns 100 mm.
func ExampleRefine() {
	prepare := func() *sim.Problem {
		s, _ := config.Parse([]string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
			"-lambda", "1", "-distance", "100", "-pixel", "0.3", "-detpixels", "48", "-oversample", "1",
			"-misset", "10", "20", "30", "-fluence", "1e28", "-water", "0.1"})
		p, _ := sim.Prepare(s, sim.Dirs{})
		return p
	}
	counts, _ := prepare().Image() // noise-free "data" in photons
	p := prepare()
	p.Exp.Params.Set(graph.PDistance, 100.3e-3) // metres inside the graph
	res, err := refine.Refine(&refine.Problem{
		Frames:     []refine.Frame{{Name: "image", Exp: p.Exp, Counts: counts}},
		Names:      []string{"distance"},
		Likelihood: refine.Poisson{},
	}, refine.Settings{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := res.Parameters[0]
	fmt.Printf("%s: %.4f %s (start %.1f); within 1e-5 mm of the truth: %v\n", d.Name, d.Value, d.Unit, d.Start,
		math.Abs(d.Value-100) < 1e-5)
	// Output:
	// distance: 100.0000 mm (start 100.3); within 1e-5 mm of the truth: true
}

// ParseLikelihood reads the loss names of the command line.
func ExampleParseLikelihood() {
	for _, name := range []string{"poisson", "gaussian", "lsq", "cauchy"} {
		l, err := refine.ParseLikelihood(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(l.Name())
	}
	// Output:
	// poisson
	// gaussian
	// lsq
	// unknown loss "cauchy" (want poisson, gaussian or lsq)
}

// SelectSpots keeps the shoeboxes around pixels well above the median.
func ExampleSelectSpots() {
	const fast, slow = 12, 8
	mu := make([]float64, fast*slow)
	for i := range mu {
		mu[i] = 2 // background counts
	}
	mu[3*fast+5] = 50 // one spot at slow 3, fast 5
	pixels := refine.SelectSpots(mu, fast, slow, 1, refine.SpotThreshold{})
	for _, d := range pixels {
		fmt.Printf("(%d,%d) ", d/fast, d%fast)
	}
	fmt.Println()
	// Output:
	// (2,4) (2,5) (2,6) (3,4) (3,5) (3,6) (4,4) (4,5) (4,6)
}

// ParseStrategy reads -strategy: the stages of a fit, coarse to fine.
func ExampleParseStrategy() {
	st, err := refine.ParseStrategy("spots,all,scan,all,hop:4")
	fmt.Println(st, err)
	_, err = refine.ParseStrategy("spots")
	fmt.Println(err)
	// Output:
	// [spots all scan all hop:4] <nil>
	// "spots" must end with the stage all or hop:N
}
