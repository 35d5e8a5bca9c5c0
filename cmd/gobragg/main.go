// Command gobragg simulates X-ray diffraction images of nanocrystals, as a
// drop-in for nanoBragg (same options, same files), and differentiates them.
//
//	gobragg [options]                 simulate (nanoBragg's command line)
//	gobragg gradient -wrt NAMES ...   print dLoss/dparameter as JSON
//	gobragg compare A B ...           compare two images
//	gobragg tracediff C.log GO.log    find where two pixel traces part
//
// Run gobragg -help for every option with its units and default.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"gobragg/compare"
	"gobragg/config"
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
	printAlerts(stderr, "gobragg", p)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if err := p.Simulate(w); err != nil {
		w.Flush()
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return 1
	}
	return 0
}

// printAlerts prints the run's warnings, one line each, on stderr.
func printAlerts(stderr io.Writer, prog string, p *sim.Problem) {
	for _, a := range p.Alerts {
		fmt.Fprintf(stderr, "%s: warning: %s\n", prog, a)
	}
}

// exitStatus is 2 for a usage error (an option or its value), 1 otherwise.
func exitStatus(err error) int {
	var u *config.UsageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}
