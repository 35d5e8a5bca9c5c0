// Command refine shows gobragg's refinement API (package refine) end to
// end: it simulates a Poisson-noise frame from known parameters, perturbs
// them in random directions, refines them by maximum likelihood (the
// default coarse-to-fine strategy) and prints
// truth | start | refined | standard error | (refined - truth) / SE,
// then whether the fit converged, its goodness of fit and the centroid
// RMSD of the spots found on the frame.
//
//	go run ./examples/refine [-pixels 160] [-seed 1] [-start 1]
//
// The frame is a 70x80x90 Angstrom crystal of 5x5x5 cells on a 0.1 mm pixel
// detector 100 mm away with 2 counts of background; each parameter starts
// at a random point within 1 % of the cell, 0.3 degree of misset, 25 % of
// N, 1.5 % of distance, 1.5 pixels of beam centre and 20 % of scale. A fit
// that does not converge exits 3 and prints no standard errors.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/refine"
	"gobragg/sim"
)

func main() {
	pixels := flag.Int("pixels", 160, "detector side in pixels")
	seed := flag.Uint64("seed", 1, "noise seed")
	start := flag.Uint64("start", 1, "seed of the random start")
	flag.Parse()
	res, err := run(os.Stdout, *pixels, *seed, *start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "refine:", err)
		os.Exit(1)
	}
	if !res.Converged {
		os.Exit(3)
	}
}

// backgroundCounts is the frame's known constant background.
const backgroundCounts = 2.0

// offsets are the refined parameters and how far at most their start lies
// from the truth (option units: Angstrom, degrees, cells, mm, counts/photon).
var offsets = []struct {
	name  string
	shift float64
}{
	{"cell_a", 0.7}, {"cell_c", -0.9}, {"misset_x", 0.3}, {"misset_y", -0.3}, {"misset_z", 0.3},
	{"Na", 1.25}, {"distance", 1.5}, {"Xbeam", 0.15}, {"Ybeam", -0.15}, {"scale", 0.2},
}

// experiment prepares the simulation of a pixels x pixels frame.
func experiment(pixels int) (*sim.Problem, error) {
	s, err := config.Parse([]string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
		"-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", strconv.Itoa(pixels), "-oversample", "1",
		"-misset", "10", "20", "30", "-fluence", "1e28"})
	if err != nil {
		return nil, err
	}
	return sim.Prepare(s, sim.Dirs{})
}

// option converts between option units and the graph's.
func option(name string) float64 {
	if _, per, ok := graph.OptionUnit(name); ok {
		return per
	}
	return 1 // scale, background
}

// run simulates, perturbs and refines, printing the table to w.
func run(w io.Writer, pixels int, seed, startSeed uint64) (*refine.Result, error) {
	truthP, err := experiment(pixels)
	if err != nil {
		return nil, err
	}
	img, err := truthP.Image()
	if err != nil {
		return nil, err
	}
	src := rand.NewPCG(seed, 1)
	counts := make([]float64, len(img))
	for i, v := range img {
		counts[i] = distuv.Poisson{Lambda: v + backgroundCounts, Src: src}.Rand()
	}
	p, err := experiment(pixels)
	if err != nil {
		return nil, err
	}
	params := p.Exp.Params
	params.Set(graph.PScale, 1)
	params.Set(graph.PBackground, backgroundCounts)
	var names []string
	truth := map[string]float64{}
	r := rand.New(rand.NewPCG(startSeed, 2))
	for _, o := range offsets {
		v, _ := params.Get(o.name)
		truth[o.name] = v / option(o.name)
		params.Set(o.name, v+(2*r.Float64()-1)*o.shift*option(o.name))
		names = append(names, o.name)
	}
	prob := &refine.Problem{
		Frames:     []refine.Frame{{Name: "simulated", Exp: p.Exp, Counts: counts}},
		Names:      names,
		Likelihood: refine.Poisson{},
	}
	res, err := refine.Refine(prob, refine.Settings{}, nil)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "%-9s %12s %12s %12s %10s %8s\n", "parameter", "truth", "start", "refined", "SE", "pull")
	for _, f := range res.Parameters {
		if !res.Converged { // no standard errors for a fit that did not converge
			fmt.Fprintf(w, "%-9s %12.6g %12.6g %12.7g\n", f.Name, truth[f.Name], f.Start, f.Value)
			continue
		}
		fmt.Fprintf(w, "%-9s %12.6g %12.6g %12.7g %10.3g %+8.2f\n", f.Name, truth[f.Name], f.Start, f.Value, f.Sigma,
			(f.Value-truth[f.Name])/f.Sigma)
	}
	fmt.Fprintf(w, "%d iterations, %d evaluations, %d pixels, %s\n", res.Iterations, res.Evaluations, res.Pixels,
		res.Wall.Round(1e6))
	fmt.Fprintf(w, "goodness of fit: %s %.4g per pixel, expected %.4g (%+.1f sigma)\n", res.Fit.Statistic,
		res.Fit.PerPixel(), res.Fit.ExpectedPerPixel(), res.Fit.Z)
	if res.Spots != nil {
		fmt.Fprintf(w, "spots: %d found, %d indexed, centroid RMSD %.3g px\n", res.Spots.Found, res.Spots.Matched, res.Spots.RMSD)
	}
	if res.Converged {
		fmt.Fprintf(w, "%s\n", res.Reason)
	} else {
		fmt.Fprintf(w, "NOT CONVERGED: %s\n", res.Reason)
	}
	return res, nil
}
