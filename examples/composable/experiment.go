package main

import (
	"fmt"
	"os"
	"path/filepath"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/sim"
)

// hklRange is the half-range of the Miller indices in the examples' table.
const hklRange = 3

// experiment prepares a small rotation experiment: a 20 Å cubic crystal of
// 5 cells, every F = 1 in a table of -3..3 in h, k and l, on a 32x32
// detector of 0.5 mm pixels at 50 mm, with extra command-line options.
func experiment(extra ...string) (*graph.Experiment, error) {
	dir, err := os.MkdirTemp("", "composable")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	hkl := filepath.Join(dir, "unit.hkl")
	f, err := os.Create(hkl)
	if err != nil {
		return nil, err
	}
	for h := -hklRange; h <= hklRange; h++ {
		for k := -hklRange; k <= hklRange; k++ {
			for l := -hklRange; l <= hklRange; l++ {
				fmt.Fprintf(f, "%d %d %d 1\n", h, k, l)
			}
		}
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	args := append([]string{"-cell", "20", "20", "20", "90", "90", "90", "-hkl", hkl, "-N", "5",
		"-misset", "12", "-25", "7", "-lambda", "1", "-distance", "50", "-detpixels", "32", "-pixel", "0.5",
		"-oversample", "1", "-fluence", "1e28", "-nonoise", "-noprogress"}, extra...)
	s, err := config.Parse(args)
	if err != nil {
		return nil, err
	}
	p, err := sim.Prepare(s, sim.Dirs{NoDump: true})
	if err != nil {
		return nil, err
	}
	return p.Exp, nil
}
