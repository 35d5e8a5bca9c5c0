package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"gobragg/compare"
	"gobragg/tracediff"
)

// subcommand is one "gobragg NAME ..." command. A new one registers itself
// from its own file:
//
//	func init() { register(subcommand{Name: "refine", Summary: "...", Help: refineHelp, Run: runRefine}) }
//
// and then appears in gobragg -help and gobragg help, answers
// gobragg NAME -help (also -h, --help, gobragg help NAME) with Help, and is
// checked by TestSubcommandHelp.
type subcommand struct {
	Name    string
	Summary string // one line for the list of subcommands
	// Help is the full text: a "usage: gobragg NAME ..." synopsis, every
	// option with its units and default, and an "Exit status:" paragraph.
	Help string
	// Run runs the command with the arguments after its name and returns
	// the exit status; errors go to stderr as one line.
	Run func(args []string, stdout, stderr io.Writer) int
}

var subcommands = map[string]subcommand{}

// register adds a subcommand; a name registered twice is a programming
// error.
func register(c subcommand) {
	if _, dup := subcommands[c.Name]; dup {
		panic("gobragg: subcommand " + c.Name + " registered twice")
	}
	subcommands[c.Name] = c
}

func init() {
	register(subcommand{Name: "gradient", Summary: "print dLoss/dparameter of a simulation as JSON",
		Help: gradientUsage, Run: runGradient})
	register(subcommand{Name: "compare", Summary: "compare two images (correlation, sums, peaks; exit 1 when they differ)",
		Help: compare.Help, Run: compare.Main})
	register(subcommand{Name: "tracediff", Summary: "find where a C and a gobragg pixel trace part",
		Help: tracediff.Help, Run: tracediff.Main})
}

// isHelp reports whether a is one of the spellings of the help option.
func isHelp(a string) bool { return a == "-help" || a == "-h" || a == "--help" }

// runSubcommand runs c, or prints its help when any argument asks for it.
func runSubcommand(c subcommand, args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if isHelp(a) {
			fmt.Fprint(stdout, c.Help)
			return 0
		}
	}
	return c.Run(args, stdout, stderr)
}

// subcommandList is the "Subcommands:" section of the help texts.
func subcommandList() string {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Subcommands (gobragg NAME -help for each one's options, units and exit status):\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-12s  %s\n", n, subcommands[n].Summary)
	}
	b.WriteString("  help [NAME]   this summary, or a subcommand's help\n")
	return b.String()
}

// summary is what gobragg prints without arguments and for gobragg help.
func summary() string {
	return `gobragg simulates X-ray diffraction images of nanocrystals, as a drop-in for
nanoBragg (same options, same files), and differentiates them.

usage: gobragg (-cell a b c alpha beta gamma | -mat FILE) (-hkl FILE | -default_F F) [options]
       gobragg NAME [arguments]
       gobragg -help       every simulation option with its units and default
       gobragg -version    the version and commit of this build

` + subcommandList() + `
Example: gobragg -cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -distance 100 \
             -detpixels 128 -pixel 0.1 -pngfile image.png
writes floatimage.bin, intimage.img, noiseimage.img, image.pgm and image.png.

Exit status: 0 on success, 2 for a bad command line, 1 for any other failure
(an unreadable input file, a failed write); a run stopped by SIGINT or SIGTERM
removes its temporary files and exits by that signal.
`
}
