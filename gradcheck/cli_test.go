package gradcheck_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"gobragg/gradcheck"
	"gobragg/graph"
)

// cliTarget differentiates the loss with respect to command-line options:
// SetValue rewrites the option's value and Loss prepares the problem from
// the command line again, so its central differences follow nanoBragg's
// own meaning of the option. Gradient maps the graph gradient of the
// parameter the option sets, times the unit factor (parameter units per
// option unit): when the graph parameter stands for the option, the two
// agree.
type cliTarget struct {
	t     *testing.T
	mode  string
	args  []string
	opts  []cliOption
	index map[string]int // option name -> position of its value in args
}

// cliOption is value k (0-based) of a command-line option and the graph
// parameter it sets.
type cliOption struct {
	option  string
	k       int
	param   string
	perUnit float64 // d param / d option value
}

func (o cliOption) name() string {
	if o.k == 0 {
		return o.option
	}
	return fmt.Sprintf("%s[%d]", o.option, o.k)
}

func newCLITarget(t *testing.T, mode string, args []string, opts []cliOption) *cliTarget {
	c := &cliTarget{t: t, mode: mode, args: append([]string(nil), args...), opts: opts, index: map[string]int{}}
	for _, o := range opts {
		for i := 0; i+1+o.k < len(args); i++ {
			if args[i] == o.option {
				c.index[o.name()] = i + 1 + o.k
			}
		}
		if _, ok := c.index[o.name()]; !ok {
			t.Fatalf("option %s (value %d) not in %q", o.option, o.k, args)
		}
	}
	return c
}

func (c *cliTarget) Names() []string {
	var n []string
	for _, o := range c.opts {
		n = append(n, o.name())
	}
	return n
}

func (c *cliTarget) Value(name string) float64 {
	v, err := strconv.ParseFloat(c.args[c.index[name]], 64)
	if err != nil {
		c.t.Fatalf("%s %s: %v", name, c.args[c.index[name]], err)
	}
	return v
}

func (c *cliTarget) SetValue(name string, v float64) {
	c.args[c.index[name]] = strconv.FormatFloat(v, 'g', -1, 64)
}

func (c *cliTarget) Loss() (float64, error) { return prepare(c.t, c.mode, c.args, false).Loss() }

func (c *cliTarget) Image() ([]float64, error) { return nil, nil }

func (c *cliTarget) Gradient() (float64, map[string]float64, error) {
	l, g, _, err := prepare(c.t, c.mode, c.args, false).Gradient()
	if err != nil {
		return 0, nil, err
	}
	out := map[string]float64{}
	for _, o := range c.opts {
		gp, ok := g[o.param]
		if !ok {
			return 0, nil, fmt.Errorf("no graph parameter %s for %s", o.param, o.option)
		}
		out[o.name()] = gp * o.perUnit
	}
	return l, out, nil
}

// TestCommandLineParameters checks that the detector parameters of the
// graph are the command-line options they come from: the graph gradient of
// each agrees with central differences of the loss over the option's value
// (the problem prepared again from the edited command line).
func TestCommandLineParameters(t *testing.T) {
	custom := strings.Fields(`-fdet_vector -0.033469730 -0.053230332 0.998021197
		-sdet_vector 0.027966946 -0.998239517 -0.052304075 -odet_vector 0.999048361 0.026161002 0.034899497
		-beam_vector 0.999950004 0.009999833 0`)
	noBeam := without(without(baseArgs, "-Xbeam", 1), "-Ybeam", 1)
	const mm, deg, angstrom, um = 1e-3, math.Pi / 180, 1e-10, 1e-6
	for _, c := range []struct {
		name string
		args []string
		opts []cliOption
	}{
		{name: "mosflm_beam", args: baseArgs, opts: []cliOption{
			{"-Xbeam", 0, graph.PXbeam, mm}, {"-Ybeam", 0, graph.PYbeam, mm}, {"-distance", 0, graph.PDistance, mm},
			{"-detector_rotx", 0, graph.PRotX, deg}, {"-twotheta", 0, graph.PTwoTheta, deg}}},
		// -osc sets phistep = osc/phisteps; -phi is left out: in c-parity
		// mode phi = 0 is a discontinuity (see TestCarryOverPhiJump).
		{name: "crystal_beam", args: baseArgs, opts: []cliOption{
			{"-cell", 0, graph.PCellA, 1}, {"-cell", 4, graph.PCellBeta, deg}, {"-misset", 1, graph.PMissetY, deg},
			{"-osc", 0, graph.PPhiStep, deg / 3}, {"-mosaic", 0, graph.PMosaic, deg}, {"-lambda", 0, graph.PLambda, angstrom},
			{"-polar", 0, graph.PPolar, 1}, {"-water", 0, graph.PWater, um}, {"-default_F", 0, graph.PDefaultF, 1}}},
		{name: "xds_orgx", args: append(without(noBeam, "-twotheta", 1), "-xds", "-ORGX", "9.5", "-ORGY", "11.25"), opts: []cliOption{
			{"-ORGX", 0, graph.PORGX, 1}, {"-ORGY", 0, graph.PORGY, 1}, {"-distance", 0, graph.PDistance, mm}}},
		{name: "dials_orgx", args: append(without(noBeam, "-twotheta", 1), "-dials", "-ORGX", "9.5", "-ORGY", "11.25"), opts: []cliOption{
			{"-ORGX", 0, graph.PORGX, 1}, {"-ORGY", 0, graph.PORGY, 1}, {"-distance", 0, graph.PDistance, mm}}},
		{name: "custom_close_distance", args: append(append(without(without(noBeam, "-distance", 1), "-twotheta", 1), custom...),
			"-twotheta_axis", "0", "0", "-1", "-twotheta", "2", "-close_distance", "95", "-Xclose", "4.2", "-Yclose", "3.6"),
			opts: []cliOption{{"-close_distance", 0, graph.PCloseDistance, mm}, {"-twotheta", 0, graph.PTwoTheta, deg}}},
		// In the CUSTOM convention C sets Xbeam = Xclose (and Xclose from
		// ORGX) when -Xbeam is not given, and then Fclose = Xbeam.
		{name: "custom_near_point", args: append(append(without(without(noBeam, "-distance", 1), "-twotheta", 1), custom...),
			"-twotheta_axis", "0", "0", "-1", "-twotheta", "2", "-close_distance", "95", "-Xclose", "4.2", "-Yclose", "3.6"),
			opts: []cliOption{{"-Xclose", 0, graph.PXclose, mm}, {"-Yclose", 0, graph.PYclose, mm}}},
		{name: "custom_orgx", args: append(append(without(without(noBeam, "-distance", 1), "-twotheta", 1), custom...),
			"-close_distance", "95", "-ORGX", "9.5", "-ORGY", "11.25"),
			opts: []cliOption{{"-ORGX", 0, graph.PORGX, 1}, {"-ORGY", 0, graph.PORGY, 1}}},
	} {
		for _, mode := range both {
			t.Run(c.name+"/"+mode, func(t *testing.T) {
				if testing.Short() && c.name != "mosflm_beam" {
					t.Skip("variant skipped with -short")
				}
				t.Parallel()
				ct := newCLITarget(t, mode, c.args, c.opts)
				rep, err := gradcheck.Check(ct, nil, gradcheck.Settings{Steps: []float64{1e-3, 1e-4, 1e-5, 1e-6}})
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rep.Failed() {
					t.Errorf("%s: graph gradient %.9e per option unit, command-line central difference %.9e (step %.1e): relative error %.2e",
						r.Name, r.Analytic, r.Numeric, r.Step, r.RelErr)
				}
				if t.Failed() || testing.Verbose() {
					t.Logf("\n%s", rep)
				}
			})
		}
	}
}
