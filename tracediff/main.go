package tracediff

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Usage is the one-line synopsis of the tracediff command.
const Usage = "usage: gobragg tracediff C.log GO.log [-tol 1e-9]"

// Main runs "gobragg tracediff C.log GO.log [-tol T]" with args being the
// arguments after "tracediff". It writes the report to stdout and returns 0
// when the traces agree, 1 when they differ, and 2 on bad input (unknown
// option, unreadable file, a file with no trace lines), after one error line
// on stderr.
func Main(args []string, stdout, stderr io.Writer) int {
	var files []string
	tol := DefaultTol
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, val, hasVal := strings.Cut(strings.TrimPrefix(arg, "-"), "=")
		switch {
		case arg == "-h" || arg == "-help" || arg == "--help":
			fmt.Fprint(stdout, Help)
			return 0
		case name == "tol" || name == "-tol":
			if !hasVal {
				if i+1 >= len(args) {
					return fail(stderr, "option -tol needs a value"+" ("+Usage+")")
				}
				i++
				val = args[i]
			}
			t, err := strconv.ParseFloat(val, 64)
			if err != nil || !(t >= 0) {
				return fail(stderr, fmt.Sprintf("option -tol: bad value %q (want a number >= 0)", val))
			}
			tol = t
		case len(arg) > 1 && arg[0] == '-':
			return fail(stderr, fmt.Sprintf("unknown option %q", arg)+" ("+Usage+")")
		default:
			files = append(files, arg)
		}
	}
	if len(files) != 2 {
		return fail(stderr, fmt.Sprintf("need two trace files, got %d", len(files))+" ("+Usage+")")
	}
	a, err := parseFile(files[0], FamilyC)
	if err != nil {
		return fail(stderr, err.Error())
	}
	b, err := parseFile(files[1], FamilyGo)
	if err != nil {
		return fail(stderr, err.Error())
	}
	res, err := Compare(a, b, tol)
	if err != nil {
		return fail(stderr, err.Error())
	}
	if err := WriteReport(stdout, a, b, res); err != nil {
		return fail(stderr, err.Error())
	}
	if res.Differ() {
		return 1
	}
	return 0
}

func parseFile(path string, prefer Family) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path, prefer)
}

func fail(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "gobragg tracediff: %s\n", msg)
	return 2
}
