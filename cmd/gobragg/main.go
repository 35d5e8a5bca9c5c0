// Command gobragg simulates X-ray diffraction images of nanocrystals, as a
// drop-in for nanoBragg (same options, same files), and differentiates them.
//
//	gobragg [options]                 simulate (nanoBragg's command line)
//	gobragg gradient -wrt NAMES ...   print dLoss/dparameter as JSON
//	gobragg compare A B ...           compare two images
//	gobragg tracediff C.log GO.log    find where two pixel traces part
//	gobragg sweep -frames N -template T  render a rotation sweep
//	gobragg stills -n N -template T      render randomly oriented still shots
//
// Run gobragg -help for every option with its units and default.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"gobragg/compare"
	"gobragg/config"
	"gobragg/dataset"
	"gobragg/sim"
	"gobragg/tracediff"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "compare":
			return compare.Main(args[1:], stdout, stderr)
		case "tracediff":
			return tracediff.Main(args[1:], stdout, stderr)
		case "gradient":
			return runGradient(args[1:], stdout, stderr)
		case "sweep":
			return dataset.SweepMain(args[1:], stdout, stderr)
		case "stills":
			return dataset.StillsMain(args[1:], stdout, stderr)
		}
	}
	for _, a := range args {
		if a == "-help" || a == "-h" || a == "--help" {
			fmt.Fprint(stdout, config.Usage())
			return 0
		}
	}
	s, err := config.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return 2
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return exitStatus(err)
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if err := p.Simulate(w); err != nil {
		w.Flush()
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return 1
	}
	return 0
}

// exitStatus is 2 for a usage error (an option or its value), 1 otherwise.
var exitStatus = config.ExitStatus
