// Command gradient shows how to differentiate a simulated diffraction image
// with the gobragg library: it prepares a small experiment, takes the
// gradient of the summed image (the loss `gobragg gradient` reports) with
// respect to every continuous parameter, then the gradient of a
// squared-error loss against a target image rendered with the detector
// moved, and prints both in the units of the command-line options.
//
//	go run ./examples/gradient
package main

import (
	"fmt"
	"io"
	"os"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

func main() {
	if err := run(os.Stdout, 64); err != nil {
		fmt.Fprintln(os.Stderr, "gradient:", err)
		os.Exit(1)
	}
}

// shown lists the parameters printed, in order, each per unit of its
// command-line option (graph.OptionUnit).
var shown = []string{graph.PDistance, graph.PXbeam, graph.PYbeam, graph.PLambda, graph.PCellA, graph.PCellC,
	graph.PMissetX, graph.PMissetZ, graph.PPhi, graph.PMosaic, graph.PRotX, graph.PTwoTheta, graph.PNa,
	graph.PDefaultF, graph.PFluence}

// experiment is a lysozyme-like crystal (every F = 100) on a small
// detector of pixels x pixels covering 25.6 mm.
func experiment(pixels int) []string {
	return []string{
		"-cell", "79.1", "79.1", "38.4", "90", "90", "90", "-default_F", "100",
		"-misset", "10", "-20", "30", "-N", "6", "-gauss_xtal",
		"-mosaic", "0.2", "-mosaic_dom", "4", "-osc", "0.5", "-phisteps", "3",
		"-lambda", "1.0", "-distance", "60",
		"-detpixels", fmt.Sprint(pixels), "-pixel", fmt.Sprint(25.6 / float64(pixels)),
		"-oversample", "1", "-fluence", "1e26",
	}
}

func run(out io.Writer, pixels int) error {
	s, err := config.Parse(experiment(pixels))
	if err != nil {
		return err
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		return err
	}

	// 1. The sum of the image over the ROI.
	loss, grad, _, err := p.Gradient()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "loss = sum of the %dx%d image = %.6g photons\n", pixels, pixels, loss)
	printGradient(out, p, grad)

	// 2. Squared error against a target rendered with the detector 0.5 mm
	// further away and the beam centre 0.3 mm off.
	truth := map[string]float64{graph.PDistance: 0.5e-3, graph.PXbeam: 0.3e-3}
	saved := p.Exp.Params.Clone()
	for name, d := range truth {
		v, _ := p.Exp.Params.Get(name)
		p.Exp.Params.Set(name, v+d)
	}
	target, err := p.Image()
	if err != nil {
		return err
	}
	for _, name := range saved.Names() {
		v, _ := saved.Get(name)
		p.Exp.Params.Set(name, v)
	}
	loss, grad, _, err = p.GradientWith(graph.Options{Loss: graph.Squared(target)})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nloss = sum (image - target)^2 = %.6g photons^2, target with distance +0.5 mm and Xbeam +0.3 mm\n", loss)
	printGradient(out, p, grad)
	// The directional derivative towards the target (in mm) is negative:
	// moving both parameters that way lowers the squared error.
	dir := grad[graph.PDistance]*0.5e-3 + grad[graph.PXbeam]*0.3e-3
	fmt.Fprintf(out, "directional derivative towards the target: %.6g photons^2 per unit step (negative: the loss falls that way)\n", dir)
	return nil
}

func printGradient(out io.Writer, p *sim.Problem, grad map[string]float64) {
	fmt.Fprintf(out, "  %-14s %14s  %-12s %s\n", "parameter", "value", "unit", "dL/dparameter (per unit)")
	for _, name := range shown {
		g, ok := grad[name]
		if !ok {
			continue
		}
		unit, perUnit, _ := graph.OptionUnit(name)
		v, _ := p.Exp.Params.Get(name)
		fmt.Fprintf(out, "  %-14s %14.6g  %-12s %+.6e\n", name, v/perUnit, unit, g*perUnit)
	}
}
