package refine_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

// simArgs is the 160x160 test experiment: a 70x80x90 Angstrom cell of 5x5x5
// cells on a 0.1 mm pixel detector 100 mm away.
var simArgs = []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
	"-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", "160", "-oversample", "1",
	"-misset", "10", "20", "30", "-fluence", "1e28"}

// prepare builds the problem of a command line.
func prepare(t testing.TB, args ...string) *sim.Problem {
	t.Helper()
	s, err := config.Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// noisy returns Poisson counts of mean scale*image + background.
func noisy(image []float64, scale, background float64, seed uint64) []float64 {
	src := rand.NewPCG(seed, 1)
	out := make([]float64, len(image))
	for i, v := range image {
		out[i] = distuv.Poisson{Lambda: scale*v + background, Src: src}.Rand()
	}
	return out
}

// setOption sets parameter name (option units) in an experiment.
func setOption(t testing.TB, exp *graph.Experiment, name string, v float64) {
	t.Helper()
	_, per, ok := graph.OptionUnit(name)
	if !ok {
		per = 1
	}
	if !exp.Params.Has(name) && name != graph.PScale && name != graph.PBackground {
		t.Fatalf("no parameter %s", name)
	}
	exp.Params.Set(name, v*per)
}

func getOption(exp *graph.Experiment, name string) float64 {
	_, per, ok := graph.OptionUnit(name)
	if !ok {
		per = 1
	}
	v, _ := exp.Params.Get(name)
	return v / per
}

var _ = math.Pi
