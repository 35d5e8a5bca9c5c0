package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"gobragg/config"
	"gobragg/dataset"
	"gobragg/ensemble"
	"gobragg/expt"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/internal/sysmem"
	"gobragg/mpi"
	"gobragg/mtz"
	"gobragg/refine"
	"gobragg/shard"
	"gobragg/sim"
	"gobragg/symop"
)

// ensembleUsage is the text of `gobragg ensemble -help`.
const ensembleUsage = `usage: gobragg ensemble -expt_in shots.expt -data 'DIR/shot_#####.img' -shots N|FIRST-LAST -hkl START.hkl
                        [-start table|bins] [-symops FILE [-spacegroup 'P 21 21 21' -spacegroup_number 19]]
                        [-results 'OUT/shot_#####.json'] [-anomalous] [-restraint_F S] [-halves] [-shoebox H] [-gain G]
                        [-hklout refined.hkl] [-mtzout refined.mtz] [-checkpoint FILE [-resume]] [-epoch K] [-max_iter N]
                        [simulation options of the shots' models]

Refines one table of structure-factor amplitudes against the pixels of many
shots (diffBragg's ensemble step). Shot n is the image -data with its run of
'#' replaced by n, modelled by the experiment of the -expt_in list whose
image it is (gobragg stills -expt, or the list a per-shot refinement started
from) and the simulation options; with -results each shot's model takes the
values of its per-shot refinement (gobragg refine -shard's -out JSON, '#'
for the shot number), and a shot whose fit did not converge is left out.
Each shot's model stays fixed. The fitted pixels are the
shoeboxes (half-width -shoebox, default 3) around the spots each model
predicts. The parameters are ln F of the reflections that reach
I/sigma(I) >= 3 at the start; symmetry-equivalent reflections share one:
under the operators of -symops (x,y,z lines as symop.lib or gemmi print
them, which must form a group), P1 without it; Friedel mates too unless
-anomalous.
The loss is the Poisson likelihood of the counts (SMV: (ADU - adc) / -gain)
plus, with -restraint_F S, a Gaussian of sigma S on each ln F about the mean
ln F of its resolution bin.

  -start table|bins   start from the -hkl table (default) or from the mean
                      of each reflection's resolution bin of it
  -hklout FILE        the refined table: h k l F SIGF (SIGF from the diagonal
                      of the Fisher information), refined reflections only
  -halves             also refine the even and the odd shots apart and add
                      CC1/2 between the two halves' F to the table per bin
  -mtzout FILE        the same as an MTZ (H K L F SIGF, the first shot's cell
                      and wavelength, the space group -spacegroup and
                      -spacegroup_number, P 1 without -symops, and its
                      operators as SYMM records) for CCP4 programs and gemmi
  -checkpoint FILE    after every epoch of -epoch L-BFGS iterations (default
                      20) write the state there; -resume continues from it
                      to the result of an uninterrupted run
  -max_iter N         L-BFGS iterations in all (default 500)

Run on several processes with MPI (a binary built with -tags mpi, see
README): mpirun -n 4 gobragg ensemble ... Each rank reads its own block of
the shots; 1, 2 or 4 ranks give the same table, bit for bit. Without MPI
the same code runs on one process. The summary (one line per epoch, then per
resolution bin the number of reflections and the CC of the refined F to the
-hkl table) is printed by rank 0.
Exit status: 0 converged, 3 did not converge (no -hklout written),
2 bad command line or input, 1 any other failure.
`

// ensembleFlags are gobragg ensemble's own options.
type ensembleFlags struct {
	exptIn, data, shots, hklout, checkpoint, start string
	symops, mtzout, spaceGroup, results            string
	spaceGroupNumber                               int
	anomalous, resume, halves                      bool
	restraint, gain                                float64
	shoebox, epoch, maxIter                        int
}

func ensembleArgs(args []string) (f ensembleFlags, rest []string, err error) {
	f = ensembleFlags{gain: 1, shoebox: 3, start: "table"}
	value := map[string]*string{"-expt_in": &f.exptIn, "-data": &f.data, "-shots": &f.shots, "-hklout": &f.hklout,
		"-checkpoint": &f.checkpoint, "-start": &f.start, "-symops": &f.symops, "-mtzout": &f.mtzout, "-spacegroup": &f.spaceGroup, "-results": &f.results}
	numbers := map[string]*float64{"-restraint_F": &f.restraint, "-gain": &f.gain}
	ints := map[string]*int{"-shoebox": &f.shoebox, "-epoch": &f.epoch, "-max_iter": &f.maxIter, "-spacegroup_number": &f.spaceGroupNumber}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "-anomalous":
			f.anomalous = true
			continue
		case "-resume":
			f.resume = true
			continue
		case "-halves":
			f.halves = true
			continue
		}
		sp, isS := value[a]
		fp, isF := numbers[a]
		ip, isI := ints[a]
		if !isS && !isF && !isI {
			rest = append(rest, a)
			continue
		}
		if i+1 >= len(args) {
			return f, nil, &usageError{a + ": missing value"}
		}
		i++
		v := args[i]
		switch {
		case isS:
			*sp = v
		case isF:
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x > 0) || math.IsInf(x, 0) {
				return f, nil, &usageError{fmt.Sprintf("%s: value %q is not a positive number", a, v)}
			}
			*fp = x
		case isI:
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return f, nil, &usageError{fmt.Sprintf("%s: value %q is not a positive integer", a, v)}
			}
			*ip = n
		}
	}
	switch {
	case f.exptIn == "":
		return f, nil, &usageError{"-expt_in: give the shots' experiment list, e.g. -expt_in shots.expt"}
	case f.data == "":
		return f, nil, &usageError{"-data: give the shots' images as a template, e.g. -data 'shots/shot_#####.img'"}
	case f.shots == "":
		return f, nil, &usageError{"-shots: give the shots, e.g. -shots 200 or -shots 1-200"}
	case !hasOption(rest, "-hkl"):
		return f, nil, &usageError{"-hkl: give the starting structure-factor table"}
	case f.start != "table" && f.start != "bins":
		return f, nil, &usageError{fmt.Sprintf("-start: %q is neither table nor bins", f.start)}
	case f.resume && f.checkpoint == "":
		return f, nil, &usageError{"-resume: give the -checkpoint to resume from"}
	case f.shoebox > maxShoebox:
		return f, nil, &usageError{fmt.Sprintf("-shoebox: half-width %d pixels is above %d", f.shoebox, maxShoebox)}
	}
	if f.mtzout != "" && f.symops != "" && (f.spaceGroup == "" || f.spaceGroupNumber == 0) {
		return f, nil, &usageError{"-mtzout: with -symops give the space group's name and number: -spacegroup 'P 21 21 21' -spacegroup_number 19"}
	}
	if f.symops == "" && (f.spaceGroup != "" || f.spaceGroupNumber != 0) {
		return f, nil, &usageError{"-spacegroup: give its operators with -symops FILE"}
	}
	if hasOption(rest, "-expt_index") {
		return f, nil, &usageError{"-expt_index: ensemble takes every shot's experiment from -expt_in by its image"}
	}
	for _, o := range []struct{ flag, path string }{{"-hklout", f.hklout}, {"-mtzout", f.mtzout}, {"-checkpoint", f.checkpoint}} {
		if err := checkOutputPath(o.flag, o.path); err != nil {
			return f, nil, err
		}
	}
	return f, rest, nil
}

// ensembleShots are this rank's shots and the table of the first shot.
type ensembleShots struct {
	shots []*ensemble.Shot
	first *graph.Experiment // shot FIRST's model, the table's and the cells' reference
	n     int
}

// loadShots prepares the shots ids[lo:hi] (ids[0] is the reference of
// the table and the cells), each with its refined values when results
// has them.
func loadShots(fl ensembleFlags, rest []string, ids []int, lo, hi int, results map[int]map[string]float64) (*ensembleShots, error) {
	tmpl, err := dataset.ParseTemplate(fl.data)
	if err == nil {
		_, err = tmpl.Frame(ids[len(ids)-1])
	}
	if err != nil {
		return nil, &usageError{fmt.Sprintf("-data %s: %v", fl.data, err)}
	}
	list, err := expt.ReadFile(fl.exptIn)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("-expt_in: %v", err)}
	}
	prepare := func(n int) (*sim.Problem, string, error) {
		path, _ := tmpl.Frame(n)
		k, err := list.FindImage(path)
		if err != nil {
			return nil, path, &usageError{fmt.Sprintf("-expt_in %s: %v", fl.exptIn, err)}
		}
		if k < 0 {
			return nil, path, &usageError{fmt.Sprintf("-expt_in %s: no experiment has the image %s (shot %d)", fl.exptIn, path, n)}
		}
		args := append(append([]string(nil), rest...), "-expt_in", fl.exptIn, "-expt_index", strconv.Itoa(k), "-noprogress")
		s, err := config.Parse(args)
		if err != nil {
			return nil, path, &usageError{fmt.Sprintf("shot %d: %v", n, err)}
		}
		p, err := sim.Prepare(s, sim.Dirs{NoDump: true})
		if err != nil {
			if exitStatus(err) == 2 {
				return nil, path, &usageError{fmt.Sprintf("shot %d: %v", n, err)}
			}
			return nil, path, err
		}
		for _, name := range slices.Sorted(maps.Keys(results[n])) {
			if err := refine.SetValue(p.Exp, name, results[n][name]); err != nil {
				return nil, path, &usageError{fmt.Sprintf("-results: shot %d: %v", n, err)}
			}
		}
		return p, path, nil
	}
	first := ids[0]
	ref, refPath, err := prepare(first)
	if err != nil {
		return nil, err
	}
	out := &ensembleShots{first: ref.Exp, n: len(ids)}
	for _, n := range ids[lo:hi] {
		p, path, err := ref, refPath, error(nil)
		if n != first { // the reference is prepared once
			p, path, err = prepare(n)
		}
		if err != nil {
			return nil, err
		}
		// A per-shot refinement moves a cell by far less than this.
		if d, err := ensemble.CellDifference(p.Exp, ref.Exp); err != nil {
			return nil, err
		} else if d > maxCellDifference {
			return nil, &usageError{fmt.Sprintf("shot %d (%s): its cell differs from shot %d's by %.1f %%, more than the %g %% per-shot models of one crystal form differ", n, path, first, 100*d, 100*maxCellDifference)}
		}
		s := p.Settings
		im, err := refine.ReadImage(path, s.FPixels, s.SPixels, s.ADC, fl.gain)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("-data: shot %d: %v", n, err)}
		}
		img, err := p.Image()
		if err != nil {
			return nil, err
		}
		scale, bkg := 1.0, 0.0
		if v, ok := p.Exp.Params.Get(graph.PScale); ok {
			scale = v
		}
		if v, ok := p.Exp.Params.Get(graph.PBackground); ok {
			bkg = v
		}
		for i, v := range img {
			img[i] = scale*v + bkg
		}
		pixels := refine.SelectSpots(img, s.FPixels, s.SPixels, fl.shoebox, refine.SpotThreshold{})
		if len(pixels) == 0 {
			return nil, &usageError{fmt.Sprintf("shot %d (%s): its model predicts no spot (does the -hkl table hold its reflections?)", n, path)}
		}
		sh, err := ensemble.NewShot(path, p.Exp, im.Counts, pixels)
		if err != nil {
			return nil, err
		}
		out.shots = append(out.shots, sh)
	}
	return out, nil
}

// shotResults returns the shots first..last to refine and, with a
// -results template, each one's refined values (refine's -out JSON): a
// shot whose fit did not converge is left out (skipped) and its values
// never used.
func shotResults(template string, first, last int) (ids []int, values map[int]map[string]float64, skipped []int, err error) {
	values = map[int]map[string]float64{}
	if template == "" {
		for n := first; n <= last; n++ {
			ids = append(ids, n)
		}
		return ids, values, nil, nil
	}
	tmpl, err := dataset.ParseTemplate(template)
	if err == nil {
		_, err = tmpl.Frame(last)
	}
	if err != nil {
		return nil, nil, nil, &usageError{fmt.Sprintf("-results %s: %v", template, err)}
	}
	for n := first; n <= last; n++ {
		path, _ := tmpl.Frame(n)
		converged, v, err := readRefineValues(path)
		if err != nil {
			return nil, nil, nil, &usageError{fmt.Sprintf("-results: shot %d: %v", n, err)}
		}
		if !converged {
			skipped = append(skipped, n)
			continue
		}
		values[n] = v
		ids = append(ids, n)
	}
	if len(ids) == 0 {
		return nil, nil, nil, &usageError{fmt.Sprintf("-results: no per-shot refinement of shots %d-%d converged", first, last)}
	}
	return ids, values, skipped, nil
}

// shotNumbers prints shot numbers, the first ten of them.
func shotNumbers(ids []int) string {
	var parts []string
	for i, n := range ids {
		if i == 10 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, " ")
}

// maxCellDifference is the largest relative difference of a shot's cell
// edge from the first shot's.
const maxCellDifference = 0.02

// runEnsemble implements gobragg ensemble.
func runEnsemble(args []string, stdout, stderr io.Writer) int {
	fail := failer("ensemble", stderr)
	fl, rest, err := ensembleArgs(args)
	if err != nil {
		return fail(err)
	}
	first, last, err := shard.ParseRange(fl.shots)
	if err != nil {
		return fail(&usageError{fmt.Sprintf("-shots: %v", err)})
	}
	comm, err := mpi.World()
	if err != nil {
		return fail(err)
	}
	defer mpi.Finalize()
	if comm.Size() > 1 {
		// A rank that stops alone would leave the others waiting for it.
		single := fail
		fail = func(err error) int {
			code := single(err)
			mpi.Abort(code)
			return code
		}
	}
	if comm.Rank() != 0 {
		stdout = io.Discard
	}
	ids, results, skipped, err := shotResults(fl.results, first, last)
	if err != nil {
		return fail(err)
	}
	if len(skipped) > 0 {
		fmt.Fprintf(stdout, "%d shot(s) left out: their per-shot refinement did not converge (%s)\n", len(skipped), shotNumbers(skipped))
	}
	lo, hi := mpi.Block(comm, len(ids))
	shots, err := loadShots(fl, rest, ids, lo, hi, results)
	if err != nil {
		return fail(err)
	}
	defer func() {
		for _, s := range shots.shots {
			s.Close()
		}
	}()
	var sym ensemble.Symmetry = ensemble.Friedel{Anomalous: fl.anomalous}
	group, err := readSymops(fl.symops)
	if err != nil {
		return fail(err)
	}
	if group != nil {
		sym = ensemble.Group{G: group, Anomalous: fl.anomalous}
	}
	table, err := ensemble.NewTable(shots.first, sym)
	if err != nil {
		return fail(&usageError{fmt.Sprintf("-hkl: %v", err)})
	}
	start := table.F0
	bins := table.Bins(ensemble.DefaultBins)
	if fl.start == "bins" {
		start = ensemble.BinMeans(table.F0, bins)
	}
	prob := &ensemble.Problem{Shots: shots.shots, NShots: shots.n, Table: table, Start: start, RestraintSigma: fl.restraint}
	// A resumed run may change how long it runs and where it writes its tables.
	fingerprint := strings.Join(withoutOptions(args, map[string]int{"-resume": 0, "-max_iter": 1, "-hklout": 1, "-mtzout": 1}), "\x00")
	settings := ensemble.Settings{Comm: comm, MaxIterations: fl.maxIter, EpochIterations: fl.epoch,
		Checkpoint: fl.checkpoint, Resume: fl.resume, Fingerprint: fingerprint,
		Progress: func(e ensemble.Epoch) {
			fmt.Fprintf(stdout, "epoch %3d  iterations %4d  loss %.12g  %s  %.1fs\n", e.Epoch, e.Iterations, e.Loss, e.Status, e.Elapsed.Seconds())
		}}
	fmt.Fprintf(stdout, "%d shots on %d rank(s), %d in the table (%d symmetry-unique), starting from the %s\n",
		shots.n, comm.Size(), len(shots.first.F), table.Len(), map[string]string{"table": "-hkl table", "bins": "resolution-bin means"}[fl.start])
	t0 := time.Now()
	res, err := ensemble.Refine(prob, settings)
	elapsed := time.Since(t0)
	if errors.Is(err, ensemble.ErrNothingMeasured) {
		return fail(&usageError{fmt.Sprintf("-hkl: %v", err)})
	}
	if errors.Is(err, ensemble.ErrCheckpoint) {
		return fail(&usageError{err.Error()})
	}
	if err != nil {
		return fail(err)
	}
	var halves [2]*ensemble.Result
	if fl.halves && res.Converged {
		if halves, err = refineHalves(fl, comm, prob, lo); err != nil {
			return fail(err)
		}
	}
	// Every rank says what it held: memory grows with a rank's own shots.
	peak, _ := sysmem.Peak()
	fmt.Fprintf(stderr, "gobragg ensemble: rank %d of %d: %d shots, peak resident memory %s\n", comm.Rank(), comm.Size(), len(shots.shots), sysmem.Text(peak))
	if comm.Rank() != 0 {
		if !res.Converged {
			return 3
		}
		return 0
	}
	fmt.Fprintf(stdout, "%d shots in %.1f s of refinement: %.1f shots x iterations per second\n", shots.n, elapsed.Seconds(),
		float64(shots.n*res.Iterations)/elapsed.Seconds())
	if !res.Converged {
		fmt.Fprintf(stderr, "gobragg ensemble: did not converge: %s\n", res.Reason)
		return 3
	}
	printBins(stdout, table, bins, table.F0, res, halves)
	var batch imageio.Batch
	if fl.hklout != "" {
		if err := batch.Add(fl.hklout, func(w io.Writer) error { return writeTable(w, table, res) }); err != nil {
			batch.Abort()
			return fail(fmt.Errorf("-hklout: %w", err))
		}
	}
	if fl.mtzout != "" {
		f, err := mtzFile(fl, group, shots.first, table, res)
		if err != nil {
			batch.Abort()
			return fail(fmt.Errorf("-mtzout: %w", err))
		}
		if err := batch.Add(fl.mtzout, func(w io.Writer) error { return mtz.Write(w, f) }); err != nil {
			batch.Abort()
			return fail(fmt.Errorf("-mtzout: %w", err))
		}
	}
	if err := batch.Commit(); err != nil {
		return fail(err)
	}
	return 0
}

// readSymops reads -symops (nil without it).
func readSymops(path string) (*symop.Group, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("-symops: %v", err)}
	}
	defer f.Close()
	g, err := symop.ReadGroup(f, path)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("-symops: %v", err)}
	}
	return g, nil
}

// mtzFile is the refined table as an MTZ of the first shot's cell and
// wavelength.
func mtzFile(fl ensembleFlags, group *symop.Group, first *graph.Experiment, t *ensemble.Table, res *ensemble.Result) (mtz.File, error) {
	cell, err := ensemble.Cell(first)
	if err != nil {
		return mtz.File{}, err
	}
	name, number := fl.spaceGroup, fl.spaceGroupNumber
	if group == nil {
		if group, err = symop.ReadGroup(strings.NewReader("x,y,z\n"), "P 1"); err != nil {
			return mtz.File{}, err
		}
		name, number = "P 1", 1
	}
	f := mtz.File{Title: "gobragg ensemble", Cell: cell, SpaceGroup: name, SpaceGroupNumber: number, Group: group}
	if lam, ok := first.Params.Get(graph.PLambda); ok {
		f.WavelengthA = lam * 1e10
	}
	for q, hkl := range t.HKL {
		if res.Measured[q] {
			f.Reflections = append(f.Reflections, mtz.Reflection{H: hkl[0], K: hkl[1], L: hkl[2], F: res.F[q], SigF: res.Sigma[q]})
		}
	}
	return f, nil
}

// withoutOptions returns args without the options named in skip, each
// with its number of values.
func withoutOptions(args []string, skip map[string]int) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if n, ok := skip[args[i]]; ok {
			i += n
			continue
		}
		out = append(out, args[i])
	}
	return out
}

// printBins prints per resolution bin the refined reflections and the CC
// of their F to ref (the -hkl table).
func printBins(w io.Writer, t *ensemble.Table, bins []int, ref []float64, res *ensemble.Result, halves [2]*ensemble.Result) {
	nb := 0
	for _, b := range bins {
		nb = max(nb, b+1)
	}
	half := halves[0] != nil && halves[1] != nil
	header := fmt.Sprintf("%-18s %8s %10s", "d range (A)", "refined", "CC -hkl")
	if half {
		header += fmt.Sprintf(" %10s %8s", "CC1/2", "in both")
	}
	fmt.Fprintln(w, header)
	for b := range nb {
		var fit, st []float64
		dmin, dmax := math.Inf(1), 0.0
		for q, qb := range bins {
			if qb != b {
				continue
			}
			d := 1 / math.Sqrt(t.InvD2[q])
			dmin, dmax = math.Min(dmin, d), math.Max(dmax, d)
			if res.Measured[q] {
				fit = append(fit, res.F[q])
				st = append(st, ref[q])
			}
		}
		cc := math.NaN()
		if len(fit) > 2 {
			cc = stat.Correlation(fit, st, nil)
		}
		line := fmt.Sprintf("%7.2f - %-8.2f %8d %10.4f", dmax, dmin, len(fit), cc)
		if half {
			cc, n := ccHalf(halves, bins, b)
			line += fmt.Sprintf(" %10.4f %8d", cc, n)
		}
		fmt.Fprintln(w, line)
	}
	var fit, st []float64
	for q, m := range res.Measured {
		if m {
			fit = append(fit, res.F[q])
			st = append(st, ref[q])
		}
	}
	fmt.Fprintf(w, "%d of %d amplitudes refined in %d iterations (%d epochs), CC to -hkl %.4f\n", len(fit), t.Len(), res.Iterations, res.Epochs,
		stat.Correlation(fit, st, nil))
	if half {
		cc, n := ccHalf(halves, bins, -1)
		fmt.Fprintf(w, "CC1/2 %.4f over the %d amplitudes both halves refined (even and odd shots refined apart)\n", cc, n)
	}
}

// ccHalf is the correlation of the two halves' F over the reflections of
// bin b (every bin when b < 0) that both refined, and their number.
func ccHalf(halves [2]*ensemble.Result, bins []int, b int) (float64, int) {
	var x, y []float64
	for q, qb := range bins {
		if (b < 0 || qb == b) && halves[0].Measured[q] && halves[1].Measured[q] {
			x = append(x, halves[0].F[q])
			y = append(y, halves[1].F[q])
		}
	}
	if len(x) < 3 {
		return math.NaN(), len(x)
	}
	return stat.Correlation(x, y, nil), len(x)
}

// refineHalves refines the table again from the even and from the odd
// shots alone (each rank its own of them, so the halves too are the same
// bits on any number of ranks), for CC1/2.
func refineHalves(fl ensembleFlags, comm mpi.Comm, p *ensemble.Problem, lo int) ([2]*ensemble.Result, error) {
	var out [2]*ensemble.Result
	for h := range 2 {
		hp := *p
		hp.Shots, hp.NShots = nil, (p.NShots+1-h)/2
		for i, s := range p.Shots {
			if (lo+i)%2 == h {
				hp.Shots = append(hp.Shots, s)
			}
		}
		r, err := ensemble.Refine(&hp, ensemble.Settings{Comm: comm, MaxIterations: fl.maxIter, EpochIterations: fl.epoch})
		if errors.Is(err, ensemble.ErrNothingMeasured) {
			return out, &usageError{fmt.Sprintf("-halves: the %s shots alone: %v", [2]string{"even", "odd"}[h], err)}
		}
		if err != nil {
			return out, err
		}
		if comm.Rank() == 0 && !r.Converged {
			return out, fmt.Errorf("-halves: the refinement of the %s shots alone did not converge: %s", [2]string{"even", "odd"}[h], r.Reason)
		}
		out[h] = r
	}
	return out, nil
}

// writeTable writes the refined reflections as h k l F SIGF.
func writeTable(w io.Writer, t *ensemble.Table, res *ensemble.Result) error {
	for q, hkl := range t.HKL {
		if !res.Measured[q] {
			continue
		}
		if _, err := fmt.Fprintf(w, "%d %d %d %.6g %.6g\n", hkl[0], hkl[1], hkl[2], res.F[q], res.Sigma[q]); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	register(subcommand{Name: "ensemble", Summary: "refine one structure-factor table against many shots (MPI ranks or one process)",
		Help: ensembleUsage, Run: runEnsemble})
}
