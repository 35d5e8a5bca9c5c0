package main

import (
	"gobragg/graph"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// TestNoArgumentsPrintsSummary: gobragg alone prints the usage summary
// (synopsis, every subcommand, where the options are listed) on stderr
// and exits 2, like any command line that asks for nothing.
func TestNoArgumentsPrintsSummary(t *testing.T) {
	code, out, errs := gradCLI()
	if code != 2 || out != "" {
		t.Errorf("gobragg: exit %d, stdout %q; want 2 and nothing on stdout", code, out)
	}
	for _, want := range append(subcommandNames(), "usage: gobragg", "-help", "-version", "Exit status") {
		if !strings.Contains(errs, want) {
			t.Errorf("the summary lacks %q:\n%s", want, errs)
		}
	}
	code, out, errs = gradCLI("help")
	if code != 0 || out != summary() || errs != "" {
		t.Errorf("gobragg help: exit %d, stderr %q; want 0 and the summary on stdout", code, errs)
	}
	code, out, errs = gradCLI("help", "nosuch")
	if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "nosuch") {
		t.Errorf("gobragg help nosuch: exit %d, stdout %q, stderr %q; want 2 and one line naming it", code, out, errs)
	}
}

func subcommandNames() []string {
	var names []string
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TestHelpMentionsSubcommands: gobragg -help lists the simulation options
// and then every subcommand with its summary.
func TestHelpMentionsSubcommands(t *testing.T) {
	_, out, _ := gradCLI("-help")
	_, rest, ok := strings.Cut(out, "\nSubcommands")
	if !ok {
		t.Fatalf("-help has no Subcommands section:\n%s", out)
	}
	for _, n := range subcommandNames() {
		if !strings.Contains(rest, "  "+n+" ") || !strings.Contains(rest, subcommands[n].Summary) {
			t.Errorf("-help does not list subcommand %s with its summary", n)
		}
	}
	_, opts := parseHelp(out)
	e := opts["-mode"]
	if e == nil {
		t.Fatal("-help does not list -mode")
	}
	// The c-parity description names what the mode does, not only
	// "argument quirks".
	for _, want := range []string{"byte for byte", "carry-over", "capture fraction", "pivot", "-pix0_vector", "substring"} {
		if !strings.Contains(e.text, want) {
			t.Errorf("-mode help %q lacks %q", e.text, want)
		}
	}
}

// TestVersion: -version, --version and version print one line with the
// module version, the commit (or why it is unknown), the Go version and
// the lattice kernel the binary runs.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"-version", "--version", "version"} {
		code, out, errs := gradCLI(arg)
		if code != 0 || errs != "" || strings.Count(out, "\n") != 1 {
			t.Errorf("gobragg %s: exit %d, stdout %q, stderr %q", arg, code, out, errs)
		}
		for _, want := range []string{"gobragg ", "module gobragg", "commit ", runtime.Version(), graph.KernelName()} {
			if !strings.Contains(out, want) {
				t.Errorf("gobragg %s prints %q, which lacks %q", arg, out, want)
			}
		}
	}
	buildCommit = "0123abcd"
	defer func() { buildCommit = "" }()
	// Without VCS stamping (go test records none) the commit make build
	// passes is printed.
	if out := versionText(); strings.Contains(out, "commit unknown") {
		t.Errorf("with a commit from make build: %q", out)
	}
}

// TestSubcommandHelp checks every registered subcommand (new ones too):
// NAME -help, -h, --help (also after other arguments) and help NAME all
// print the same text on stdout and exit 0 without running the command;
// the text starts with the synopsis, documents the command's options
// and units, and gives the exit status.
func TestSubcommandHelp(t *testing.T) {
	// Options and units each subcommand's help must document.
	want := map[string][]string{
		"gradient":  {"-wrt", "-target", "-gradfile_hkl", "-noprogress", "mm", "Angstrom", "degrees", "eV"},
		"compare":   {"-roi", "-detpixels", "-detpixels_x", "-detpixels_y", "-corr", "-sum_ratio", "-peaks", "-json", "-png", "-scale", "pixels"},
		"tracediff": {"-tol", "TRACE_C", "TRACE_GO", "relative"},
	}
	for _, name := range subcommandNames() {
		c := subcommands[name]
		t.Run(name, func(t *testing.T) {
			if !strings.HasPrefix(c.Help, "usage: gobragg "+name) || !strings.Contains(c.Help, "Exit status") {
				t.Errorf("help of %s does not start with its synopsis or lacks the exit status:\n%s", name, c.Help)
			}
			if !strings.HasSuffix(c.Help, "\n") {
				t.Errorf("help of %s does not end with a newline", name)
			}
			for _, w := range want[name] {
				if !strings.Contains(c.Help, w) {
					t.Errorf("help of %s lacks %q", name, w)
				}
			}
			for _, args := range [][]string{{name, "-help"}, {name, "-h"}, {name, "--help"}, {name, "x", "-help"}, {"help", name}} {
				code, out, errs := gradCLI(args...)
				if code != 0 || out != c.Help || errs != "" {
					t.Errorf("gobragg %s: exit %d, stderr %q, stdout %d bytes; want 0 and the help", strings.Join(args, " "), code, errs, len(out))
				}
			}
		})
	}
	for _, name := range []string{"gradient", "compare", "tracediff"} {
		if _, ok := subcommands[name]; !ok {
			t.Errorf("subcommand %s is not registered", name)
		}
	}
}

// TestGradientSuggestsName: a misspelt -wrt name gets the nearest valid one.
func TestGradientSuggestsName(t *testing.T) {
	for _, c := range []struct{ typo, want string }{{"Xbaem", "Xbeam"}, {"distnace", "distance"}, {"Lambda", "lambda"}} {
		code, _, errs := gradCLI("gradient", "-wrt", c.typo, "-cell", "50", "50", "50", "90", "90", "90", "-default_F", "1", "-detpixels", "4")
		if code != 2 || !strings.Contains(errs, c.typo+" is unknown (did you mean "+c.want+"?)") {
			t.Errorf("-wrt %s: exit %d, stderr %q; want 2 and a suggestion of %s", c.typo, code, errs, c.want)
		}
	}
	if _, _, errs := gradCLI("gradient", "-wrt", "qqqqqq", "-cell", "50", "50", "50", "90", "90", "90", "-default_F", "1"); strings.Contains(errs, "did you mean") {
		t.Errorf("a name far from every parameter got a suggestion: %q", errs)
	}
}
