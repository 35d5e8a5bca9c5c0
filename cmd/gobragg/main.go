// Command gobragg simulates X-ray diffraction images of nanocrystals, as a
// drop-in for nanoBragg (same options, same files), and differentiates them.
//
//	gobragg [options]                 simulate (nanoBragg's command line)
//	gobragg gradient -wrt NAMES ...   print dLoss/dparameter as JSON
//	gobragg compare A B ...           compare two images
//	gobragg tracediff C.log GO.log    find where two pixel traces part
//	gobragg help [NAME]               a usage summary, or a subcommand's help
//	gobragg -version                  the version and commit of the build
//
// Run gobragg -help for every option with its units and default, and
// gobragg NAME -help for a subcommand's.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gobragg/config"
	"gobragg/imageio"
	"gobragg/progress"
	"gobragg/sim"
)

func main() {
	os.Exit(runMain())
}

// runMain is main up to its exit status (the tests run it in a process of
// their own, see TestMain).
func runMain() int {
	defer func() {
		if r := recover(); r != nil {
			imageio.RemoveTemporaryFiles() // a crash leaves no .NAME.tmp-N either
			panic(r)
		}
	}()
	stop := handleInterrupts()
	code := run(os.Args[1:], os.Stdout, quietOnInterrupt{os.Stderr})
	stop()
	return code
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, summary())
		return 2
	}
	switch a := args[0]; {
	case a == "help":
		return runHelp(args[1:], stdout, stderr)
	case a == "-version" || a == "--version" || a == "version":
		fmt.Fprint(stdout, versionText())
		return 0
	default:
		if c, ok := subcommands[a]; ok {
			return runSubcommand(c, args[1:], stdout, stderr)
		}
	}
	for _, a := range args {
		if isHelp(a) {
			fmt.Fprint(stdout, config.Usage()+"\n"+subcommandList())
			return 0
		}
	}
	s, err := config.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return 2
	}
	// An output that cannot be written is refused before the render.
	if err := imageio.CheckWritable(sim.Outputs(s, sim.Dirs{})); err != nil {
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return 2
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		fmt.Fprintf(stderr, "gobragg: %v\n", err)
		return exitStatus(err)
	}
	if f := progress.Terminal(stderr); f != nil {
		p.ProgressBar = f
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

// runHelp implements gobragg help [NAME].
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, summary())
		return 0
	}
	c, ok := subcommands[args[0]]
	if ok && len(args) == 1 {
		fmt.Fprint(stdout, c.Help)
		return 0
	}
	if ok {
		fmt.Fprintf(stderr, "gobragg help: give one subcommand name, not %q\n", strings.Join(args, " "))
		return 2
	}
	fmt.Fprintf(stderr, "gobragg help: no subcommand %q (gobragg help lists them; gobragg -help lists the simulation options)\n", args[0])
	return 2
}

// printAlerts prints the run's warnings, one line each, on stderr.
func printAlerts(stderr io.Writer, prog string, p *sim.Problem) {
	for _, a := range p.Alerts {
		fmt.Fprintf(stderr, "%s: warning: %s\n", prog, a)
	}
}

// exitStatus is 2 for a usage error (an option or its value) or an input
// file that cannot be used, 1 otherwise.
func exitStatus(err error) int {
	var u *config.UsageError
	var in *sim.InputError
	if errors.As(err, &u) || errors.As(err, &in) {
		return 2
	}
	return 1
}
