// Command composable shows the simulator as one stage of a user's own
// Gorgonia graph (graph.Simulate): gradients flow from a loss the user
// writes, through the diffraction image, into whatever produced the
// experiment's parameters and structure factors. Three examples:
//
//   - atomic: a three-atom model gives F, and its atom positions are
//     trained through the simulator to match a target image;
//   - loss: a least-squares loss with a smoothness regulariser on the
//     image and a Gaussian prior on F, all written as graph nodes;
//   - twoframes: two rotation frames that share one crystal in one graph.
//
// Usage:
//
//	go run ./examples/composable            # all three
//	go run ./examples/composable -example atomic
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	which := flag.String("example", "all", "atomic, loss, twoframes or all")
	flag.Parse()
	if err := run(os.Stdout, *which); err != nil {
		fmt.Fprintln(os.Stderr, "composable:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, which string) error {
	examples := []struct {
		name string
		fn   func(io.Writer) error
	}{{"atomic", atomicExample}, {"loss", lossExample}, {"twoframes", twoFramesExample}}
	ran := false
	for _, e := range examples {
		if which != "all" && which != e.name {
			continue
		}
		ran = true
		fmt.Fprintf(out, "== %s\n", e.name)
		if err := e.fn(out); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	if !ran {
		return fmt.Errorf("-example %q: want atomic, loss, twoframes or all", which)
	}
	return nil
}
