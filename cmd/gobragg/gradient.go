package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/physics"
	"gobragg/progress"
	"gobragg/refine"
	"gobragg/sim"
)

// gradientUsage is the text of `gobragg gradient -help`; its table of
// names and units comes from graph's parameter registry.
var gradientUsage = `usage: gobragg gradient -wrt NAME[,NAME...] [-target FILE] [-gradfile_hkl FILE] [simulation options]

Prints one JSON object on stdout:
  {"loss": L, "gradient": {"NAME": dL/dNAME, ...}, "units": {"NAME": "unit", ...}}
L is the sum over the ROI of the float image (photons, float64 as computed,
before the float32 rounding of floatimage.bin). With -target FILE (an SMV
frame, miniCBF or float image of the same detector, e.g. a measured image) L is the
data loss of gobragg refine, over the ROI and unmasked pixels: expected
counts mu = scale*image + background against counts y = (ADU - adc)/gain
(SMV; overloads left out) or photons (float image), with
  -loss poisson (default) sum(mu - y log mu) | gaussian | lsq sum (y - mu)^2
  -gain G -readout_noise R -scale S -background B   as in gobragg refine
and scale and background are also names for -wrt.
Each derivative is taken with
respect to the parameter in its option's units:
` + parameterTable() + `With a multi-panel detector from -expt_in (its float image is the panels
one after another) every panel N and every group N of its hierarchy
(numbered depth first, the whole detector is group0, as DIALS writes it)
moves as a rigid body in its own frame (fast, slow, normal = fast x slow,
about its origin); a group carries its panels and groups along:
  panelN_shift_fast panelN_shift_slow panelN_dist       mm
  panelN_rot_fast panelN_rot_slow panelN_rot_normal     degrees
  groupN_shift_fast groupN_shift_slow groupN_dist       mm
  groupN_rot_fast groupN_rot_slow groupN_rot_normal     degrees
(e.g. -wrt panel3_dist,group1_rot_normal); distance, Xbeam and the other
single-panel detector names move no panel there (their derivative is 0).
A name must be a parameter of this run: cell_* need -cell (misset_x/y/z
are always parameters, 0 without -misset), mat_* need -mat, ORGX/ORGY and the close_distance family need their
options, osc needs the spindle step to come from -osc (not -phistep); then
phistep = osc/phisteps and dL/dosc = (dL/dphistep)/phisteps.

-gradfile_hkl FILE writes "h k l dL/dF" for every entry of the dense
structure-factor table whose derivative is non-zero (needs -hkl or Fdump.bin).
No image file and no Fdump.bin is written. When stderr is a terminal a
progress bar is drawn there (-noprogress turns it off); stdout carries only
the JSON. A misspelt name gets a suggestion (-wrt Xbaem: did you mean Xbeam?).

Exit status: 0 ok, 2 bad command line, parameter name or -target data (a
missing, corrupt or wrongly sized file, no pixel left to fit), 1 any other
failure (an unreadable input, a loss or derivative that is not finite), each
after one line on stderr.
`

// usageError is a command-line mistake (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// gradientArgs splits the gradient subcommand's own options from the
// simulation's.
// gradientFlags are the options of gobragg gradient beside the simulation's.
type gradientFlags struct {
	wrt     []string
	gradHKL string // -gradfile_hkl
	target  string // -target
	// The data model of -target, as in gobragg refine.
	like             refine.Likelihood // -loss, with -readout_noise
	gain, scale, bkg float64
}

func gradientArgs(args []string) (f gradientFlags, rest []string, err error) {
	f.like, f.gain, f.scale = refine.Poisson{}, 1, 1
	var readout float64 // -readout_noise, photons
	dataModel := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-loss", "-gain", "-readout_noise", "-scale", "-background":
			if i+1 >= len(args) {
				return f, nil, &usageError{a + ": missing value"}
			}
			i++
			dataModel = true
			if a == "-loss" {
				if f.like, err = refine.ParseLikelihood(args[i]); err != nil {
					return f, nil, &usageError{"-loss: " + err.Error()}
				}
				continue
			}
			x, err := strconv.ParseFloat(args[i], 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || (a == "-gain" && !(x > 0)) || (a == "-readout_noise" && x < 0) {
				return f, nil, &usageError{fmt.Sprintf("%s: bad value %q", a, args[i])}
			}
			if a == "-scale" && !(x > 0) {
				// Expected counts scale*image + background must be positive.
				return f, nil, &usageError{fmt.Sprintf("-scale: counts per photon must be positive, got %g", x)}
			}
			switch a {
			case "-gain":
				f.gain = x
			case "-readout_noise":
				readout = x
			case "-scale":
				f.scale = x
			default:
				f.bkg = x
			}
		case "-wrt", "-gradfile_hkl", "-target":
			if i+1 >= len(args) {
				return f, nil, &usageError{a + ": missing value"}
			}
			if v := args[i+1]; strings.HasPrefix(v, "-") {
				return f, nil, &usageError{fmt.Sprintf("%s: missing value (the next argument, %s, is an option)", a, v)}
			}
			i++
			switch a {
			case "-gradfile_hkl":
				f.gradHKL = args[i]
				continue
			case "-target":
				f.target = args[i]
				continue
			}
			for _, n := range strings.Split(args[i], ",") {
				if n = strings.TrimSpace(n); n != "" {
					f.wrt = append(f.wrt, n)
				}
			}
		default:
			rest = append(rest, a)
		}
	}
	if len(f.wrt) == 0 {
		return f, nil, &usageError{"-wrt: give the parameters to differentiate, e.g. -wrt distance,lambda"}
	}
	if err := checkOutputPath("-gradfile_hkl", f.gradHKL); err != nil {
		return f, nil, err
	}
	inputs := []imageio.NamedPath{{Option: "-target", Path: f.target}}
	for i := 0; i+1 < len(rest); i++ {
		if o := rest[i]; o == "-hkl" || o == "-img" || o == "-mask" || o == "-sourcefile" || o == "-matrix" || o == "-mat" {
			inputs = append(inputs, imageio.NamedPath{Option: o, Path: rest[i+1]})
		}
	}
	if err := imageio.CheckOutputs(inputs, []imageio.NamedPath{{Option: "-gradfile_hkl", Path: f.gradHKL}}); err != nil {
		return f, nil, &usageError{err.Error()}
	}
	if dataModel && f.target == "" {
		return f, nil, &usageError{"-loss, -gain, -readout_noise, -scale and -background describe -target data: give -target FILE"}
	}
	if _, ok := f.like.(refine.Gaussian); ok {
		// The other losses have no readout noise.
		if f.like, err = refine.NewGaussian(readout); err != nil {
			return f, nil, &usageError{"-readout_noise: " + err.Error()}
		}
	}
	return f, rest, nil
}

// targetLoss reads -target (an SMV frame, miniCBF or float image of the
// run's detector, e.g. a measured image) into the data loss of gobragg refine:
// counts = (ADU - adc)/gain for SMV (overloads left out), photons for a
// float image, compared with mu = scale*image + background over the
// rendered (ROI, unmasked) pixels.
func targetLoss(f gradientFlags, s *config.Settings, params *graph.Params) (graph.Options, error) {
	im, err := refine.ReadImage(f.target, s.FPixels, s.SPixels, s.ADC, f.gain)
	if err != nil {
		return graph.Options{}, &usageError{"-target: " + strings.TrimPrefix(err.Error(), refine.ErrBadInput.Error()+": ")}
	}
	data := make([]float64, len(im.Counts))
	for i := range data {
		data[i] = math.NaN()
	}
	for sp := s.RoiYMin; sp <= s.RoiYMax && sp < s.SPixels; sp++ {
		for fp := s.RoiXMin; fp <= s.RoiXMax && fp < s.FPixels; fp++ {
			i := sp*s.FPixels + fp
			if s.Mask == nil || s.Mask[i] != 0 {
				data[i] = im.Counts[i]
				if _, poisson := f.like.(refine.Poisson); poisson && data[i] < 0 {
					return graph.Options{}, &usageError{fmt.Sprintf("-target %s: pixel (slow %d, fast %d) has negative count %g, impossible for the Poisson loss (use -loss gaussian or lsq)", f.target, sp, fp, data[i])}
				}
			}
		}
	}
	used := 0
	for _, y := range data {
		if !math.IsNaN(y) {
			used++
		}
	}
	if used == 0 {
		return graph.Options{}, &usageError{fmt.Sprintf("-target %s: no pixel left (every pixel is overloaded, masked or outside the ROI)", f.target)}
	}
	return graph.Options{Loss: refine.NewDataLoss(f.like, data, params)}, nil
}

// derivative says how to turn the graph's gradient into dL/dname.
type derivative struct {
	name, param, unit string
	perUnit           float64
}

// resolveNames checks every name against the problem's parameters.
// phiStepGiven reports whether -phistep set the spindle step (then osc is
// not a parameter).
func resolveNames(names []string, p *sim.Problem, phiStepGiven bool) ([]derivative, error) {
	valid := func(name string) bool {
		o, ok := graph.LookupOption(name)
		if !ok || !p.Exp.Params.Has(o.Param) {
			return false
		}
		return name != "osc" || !phiStepGiven
	}
	var out []derivative
	var bad []string
	for _, n := range names {
		if !valid(n) {
			bad = append(bad, n)
			continue
		}
		o, _ := graph.LookupOption(n)
		// d graph value / d option value at the problem's value.
		g, _ := p.Exp.Params.Get(o.Param)
		_, per := o.ToGraph(p.Exp, o.FromGraph(p.Exp, g))
		d := derivative{name: n, param: o.Param, unit: o.Unit, perUnit: per}
		out = append(out, d)
	}
	if len(bad) > 0 {
		var ok []string
		for _, n := range graph.OptionNames() {
			if valid(n) {
				ok = append(ok, n)
			}
		}
		sort.Strings(ok)
		if np := len(p.Exp.Panels); np > 0 {
			ok = append(ok, fmt.Sprintf("panel0_dist..panel%d_rot_normal (and group0..: see gobragg gradient -help)", np-1))
		}
		for i, n := range bad {
			if _, known := graph.LookupOption(n); known {
				bad[i] = n + " is not a parameter of this run"
			} else if near := config.SuggestName(n, ok); near != "" {
				bad[i] = n + " is unknown (did you mean " + near + "?)"
			} else {
				bad[i] = n + " is unknown"
			}
		}
		return nil, &usageError{fmt.Sprintf("-wrt: %s; valid names: %s", strings.Join(bad, ", "), strings.Join(ok, " "))}
	}
	return out, nil
}

// runGradient implements `gobragg gradient`: it prepares the simulation from
// nanoBragg's options, runs the graph with its backward pass and prints the
// loss and the requested derivatives as JSON.
// parameterTable lists graph's parameter registry by unit, a line (or a
// few) per unit, for the help text.
func parameterTable() string {
	const width = 54 // the names' column; the unit follows
	var b strings.Builder
	units, names := graph.OptionUnits()
	for _, u := range units {
		note := u
		switch u {
		case "eV":
			note = fmt.Sprintf("eV (lambda = %g/energy)", physics.HCEVAngstrom)
		case "1":
			note = "dimensionless"
		}
		line := " "
		for _, n := range names[u] {
			if len(line)+1+len(n) > width {
				b.WriteString(line + "\n")
				line = " "
			}
			line += " " + n
		}
		fmt.Fprintf(&b, "%-*s%s\n", width, line, note)
	}
	return b.String()
}

func runGradient(args []string, stdout, stderr io.Writer) int {
	// Command-line and parameter-name mistakes exit 2, anything else 1.
	fail := failer("gradient", stderr)
	flags, rest, err := gradientArgs(args)
	if err != nil {
		return fail(err)
	}
	wrt, gradHKL := flags.wrt, flags.gradHKL
	s, err := config.Parse(rest)
	if err != nil {
		return fail(&usageError{err.Error()})
	}
	phiStepGiven := !math.IsNaN(s.PhiStep)
	// Prepare writes nothing (WriteOutputs, never called here, would write
	// the Fdump cache): this command writes no file but -gradfile_hkl.
	p, err := sim.Prepare(s, sim.Dirs{})
	if err != nil {
		return fail(err)
	}
	printAlerts(stderr, "gobragg gradient", p)
	if flags.target != "" && p.Exp.Setup.Panels != nil {
		return fail(&usageError{"-target: a data loss reads one panel's image; the -expt_in detector has several panels (the summed image is the loss without -target)"})
	}
	if flags.target != "" {
		p.Exp.Params.Set(graph.PScale, flags.scale)
		p.Exp.Params.Set(graph.PBackground, flags.bkg)
	}
	ds, err := resolveNames(wrt, p, phiStepGiven)
	if err != nil {
		return fail(err)
	}
	if gradHKL != "" && (p.Grid == nil || p.Grid.Count == 0) {
		return fail(&usageError{fmt.Sprintf("-gradfile_hkl %s: this run has no structure-factor table (give -hkl)", gradHKL)})
	}
	opts := graph.Options{}
	if flags.target != "" {
		if opts, err = targetLoss(flags, s, p.Exp.Params); err != nil {
			return fail(err)
		}
	}
	var meter *progress.Meter
	if f := progress.Terminal(stderr); f != nil && s.Progress {
		// Only a bar: stdout carries the JSON, stderr is for errors.
		meter = progress.NewBar(f, p.Exp.Setup.NPix(), "gradient", "pixels")
		opts.SpanDone = meter.Update
	}
	loss, grad, gradF, err := p.GradientWith(opts)
	meter.Finish()
	if err != nil {
		return fail(err)
	}
	vals := make([]float64, len(ds))
	for i, d := range ds {
		vals[i] = grad[d.param] * d.perUnit
		if math.IsNaN(vals[i]) || math.IsInf(vals[i], 0) {
			return fail(fmt.Errorf("dL/d%s is not finite (%v)", d.name, vals[i]))
		}
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return fail(fmt.Errorf("the loss is not finite (%v)", loss))
	}
	if gradHKL != "" {
		if err := imageio.WriteFileAtomic(gradHKL, func(w io.Writer) error { return writeGradHKL(w, p, gradF) }); err != nil {
			return fail(fmt.Errorf("-gradfile_hkl: %w", err))
		}
	}
	w := bufio.NewWriter(stdout)
	writeGradientJSON(w, loss, ds, vals)
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	return 0
}

// writeGradientJSON prints the result with the names in the order asked
// (a name asked twice appears once).
func writeGradientJSON(w io.Writer, loss float64, ds []derivative, vals []float64) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	str := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	object := func(value func(i int) string) {
		seen := map[string]bool{}
		for i, d := range ds {
			if seen[d.name] {
				continue
			}
			if len(seen) > 0 {
				fmt.Fprint(w, ",")
			}
			seen[d.name] = true
			fmt.Fprintf(w, "\n    %s: %s", str(d.name), value(i))
		}
	}
	fmt.Fprintf(w, "{\n  \"loss\": %s,\n  \"gradient\": {", num(loss))
	object(func(i int) string { return num(vals[i]) })
	fmt.Fprint(w, "\n  },\n  \"units\": {")
	object(func(i int) string { return str(ds[i].unit) })
	fmt.Fprint(w, "\n  }\n}\n")
}

// writeGradHKL writes "h k l dL/dF" for every table entry with a non-zero
// derivative, h slowest and l fastest.
func writeGradHKL(w io.Writer, p *sim.Problem, gradF []float64) error {
	g := p.Grid
	if len(gradF) != len(g.F) {
		return fmt.Errorf("gradient has %d structure factors, the table %d", len(gradF), len(g.F))
	}
	for h := g.Hmin; h <= g.Hmax; h++ {
		for k := g.Kmin; k <= g.Kmax; k++ {
			for l := g.Lmin; l <= g.Lmax; l++ {
				i, ok := g.Index(h, k, l)
				if !ok || gradF[i] == 0 {
					continue
				}
				if _, err := fmt.Fprintf(w, "%d %d %d %s\n", h, k, l, strconv.FormatFloat(gradF[i], 'g', -1, 64)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
