package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/progress"
	"gobragg/raster"
	"gobragg/refine"
	"gobragg/sim"
)

// refineUsage is the text of `gobragg refine -help`.
const refineUsage = `usage: gobragg refine -data IMAGE[,IMAGE...] -refine NAME[,NAME...] [-loss poisson|gaussian|lsq]
                      [-restraint NAME=center,sigma ...] [-restraint F=S]
                      [-select all|spots|found|dials:FILE.refl] [-dials_rows ROWS] [-shoebox HALFWIDTH]
                      [-background_model frame|shoebox]
                      [-strategy STAGES] [-fit_sigmas Z] [-start earlier.json]
                      [-out result.json] [-png fit.png] [-hklout refined.hkl]
                      [simulation options for the starting model]

Fits experiment parameters to measured images by maximum likelihood.
Data: SMV frames (counts = (ADU - adc) / gain; -adc from the simulation
options, default 40; overloaded pixels (65535) are left out), CBF frames
(counts / gain; negative gap and bad pixels, and counts at the header's
Count_cutoff or _array_intensities.overload, left out) or raw float32 images in
photons. Each image's phi start and width come from its header (OSC_START,
OSC_RANGE; CBF Start_angle, Angle_increment) unless -phi/-osc/-phistep are given. -mask (SMV,
0 = leave out) and -roi leave pixels out. With -expt_in the panel's gain (unless
-gain is given) and pedestal (CBF counts = (value - pedestal) / gain) apply, values
outside its trusted_range (both ends included) and its mask rectangles (module gaps)
are left out, and so is the imageset's mask if it is an SMV mask (a DIALS pickle is
refused: convert it and give -mask).
Multi-panel detectors (from -expt_in): -data is the full CBF of one array per
panel (as gobragg -cbffile writes it; value - pedestal over gain, negative values
left out) or a raw float32 image of the panels one after another (photons); its
panels' number and sizes must be the list's. Each panel's gain, pedestal,
trusted range and mask rectangles apply. -refine takes the panels' and groups'
motions (panel3_dist, group1_rot_normal: gobragg gradient -help); those not named
stay where the list puts them. -select spots takes each panel's shoeboxes on its
own grid. The spots stage is skipped (the default strategy is all,scan,all,hop:4);
-select found and dials:, -png and an imageset mask are refused.
Model: expected counts mu = scale * simulated photons + background.

  -data FILES          the measured images (several: a rotation wedge)
  -refine NAMES        parameters to refine: any name of gobragg gradient
                       (misset_x/y/z always exist; panelN_ and groupN_ motions
                       of a multi-panel -expt_in detector), plus scale and background,
                       and F: the structure factors of the -hkl table that the
                       fitted pixels measure at I/sigma(I) >= 3 at the start
                       (others stay fixed), refined as ln F. The data measure
                       scale * F^2: F with scale or fluence needs -restraint F=S
  -loss KIND           poisson (default): sum(mu - y log mu)
                       gaussian: 0.5 sum[log(2 pi V) + (y - mu)^2 / V], V = mu + readout^2
                       lsq: sum (y - mu)^2
  -readout_noise R     Gaussian readout noise in photons (default 0)
  -gain G              ADU per photon of SMV data (default 1)
  -scale S|auto        starting scale, positive (default 1); auto: the fitted pixels'
                       counts above the starting background over the starting
                       model's photons (not with -select spots; it replaces
                       a -start file's scale)
  -background B        starting background in counts (default 0)
  -restraint N=C,S     Gaussian prior on N: centre C, sigma S (option units); repeatable
  -restraint F=S       every refined F towards the geometric mean of the starting
                       F of its resolution bin (equal-count bins in 1/d^2, about
                       20 reflections each), S the sigma of ln F (e.g. 0.5); the
                       fixed centres also set the level of F against scale
  -select MODE         which pixels to fit (default: all up to 1024x1024 pixels,
                       else spots):
                       all    every pixel
                       spots  the shoeboxes around the spots the starting model
                              predicts (it is simulated once on the whole frame;
                              each panel's on its own grid)
                       found  the shoeboxes around the spots found on the data
                              (at least 3 strong pixels, as DIALS's finder on
                              pixel-array detectors); needs no simulation, so it
                              suits a still whose orientation is not known yet;
                              stderr says how many spots and pixels
                       dials:FILE.refl  the bounding boxes (bbox) of a DIALS
                              reflection table, one per reflection: a frame takes
                              the rows whose image range [z0, z1) holds its image
                              in the -expt_in scan, round((header start angle -
                              scan start) / width) from 0 (needs -expt_in with a
                              scan); the report adds the centroid RMSD (x, y px;
                              z images) of the refined model and of DIALS's own
                              xyzcal against xyzobs.px.value, over the rows
                              flagged used_in_refinement
  -background_model M  frame (default): one refined background per frame;
                       shoebox: one per DIALS shoebox (needs -select dials:FILE.refl
                       and background in -refine), for a background that varies
                       across the detector
  -dials_rows R        which rows give shoeboxes: predicted (default: every indexed
                       prediction, hkl not 0 0 0), integrated (integrated_sum or _prf),
                       used_in_refinement
  -shoebox H           shoebox half-width in pixels for -select spots or found:
                       around each predicted spot pixel, or each found spot's
                       bounding box; 1..512 (default 5)
  -max_iter N          iteration limit per stage (default 200)
  -strategy STAGES     the fit's stages, coarse to fine, ending with all or hop:N
                       (default spots,all,scan,all,hop:4; multi-panel:
                       all,scan,all,hop:4):
                       spots     geometry from the centroids of the spots found on
                                 the data against their Bragg positions (one panel)
                       scan      when the model does not fit: each of Na, Nb, Nc on a
                                 grid of 0.6..1.5 times its value
                       hop:N     while the model does not fit, up to N times: N and
                                 mosaic drawn within 30 % and everything refined
                       broad:K   geometry on a model with N / K (spots K times wider)
                       geometry, shape, all: pixel fits of the geometry, of the
                                 rest (N, mosaic, scale, background...), of everything
                       A coarse stage that leaves the loss higher is undone; a
                       strategy whose model does not fit is also tried as one
                       fit of everything from the start, and the lower loss kept.
  -fit_sigmas Z        the model fits when its Poisson deviance (gaussian:
                       chi-squared) is at most Z standard deviations above its
                       expectation (default 5)
  -out FILE            write the result as JSON
  -png FILE            write observed | model | residual and the loss curve
                       of the first frame; with -select dials: a gallery of
                       the 12 brightest shoeboxes instead, observed, model
                       and residual on every frame each spans
  -start FILE          start from the values of an earlier fit's -out file
                       (every parameter it gives, background_K on frame K;
                       its structure factors come with -hkl from its -hklout)
  -hklout FILE         with F refined: one line "h k l F SIGF" per refined
                       reflection (as -hkl reads it); SIGF is nan when the fit
                       did not converge, for an F held at 0 and an undetermined F

One line per iteration goes to stderr (above a bar of the iterations done
against -max_iter when stderr is a terminal), the refined values to stdout
with the goodness of fit and the centroid RMSD of the spots found on the data;
refined structure factors as one summary line (how many, median sigma/F,
correlation with the start), their table in -hklout.
A fit converges when its last stage stops at a minimum (gradient or loss
converged, no parameter held at a bound) and the model fits the data. A fit
that does not converge prints no standard errors, writes -out and -png with
"converged": false and its reason, and exits 3 with the reason on stderr.
Exit status: 0 converged, 3 did not converge, 2 bad command line or data,
1 any other failure.
`

// refineFlags are gobragg refine's own options.
type refineFlags struct {
	data, names []string
	like        refine.Likelihood // -loss, with -readout_noise
	gain        float64
	scale, bkg  float64
	scaleAuto   bool // -scale auto: from the data's counts (refine.Problem.ScaleFromData)
	restraints  []refine.Restraint
	selectMode  string
	shoebox     int
	maxIter     int
	out, png    string
	strategy    []refine.Stage
	fitSigmas   float64
	hklout      string
	start       string  // -start: a refine -out file whose values start the fit
	fRestraint  float64 // sigma of ln F about its bin's centre; 0: none
	gainSet     bool    // -gain given: it overrides the -expt_in panel's gain
	// dialsRefl and dialsRows: -select dials:FILE.refl, -dials_rows; dials
	// is the table once read.
	dialsRefl string
	dialsRows refine.DIALSRows
	dials     *dialsInput
	// bkgModel is -background_model: one background per frame or per
	// DIALS shoebox.
	bkgModel refine.BackgroundModel
}

func refineArgs(args []string) (f refineFlags, rest []string, err error) {
	f = refineFlags{like: refine.Poisson{}, gain: 1, scale: 1, shoebox: 5}
	var readout float64 // -readout_noise, photons
	num := func(name, v string) (float64, error) {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, &usageError{fmt.Sprintf("%s: value %q is not a finite number", name, v)}
		}
		return x, nil
	}
	list := func(v string) []string {
		var out []string
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	own := map[string]bool{"-data": true, "-refine": true, "-loss": true, "-readout_noise": true, "-gain": true,
		"-scale": true, "-background": true, "-restraint": true, "-select": true, "-shoebox": true,
		"-max_iter": true, "-out": true, "-png": true, "-strategy": true, "-fit_sigmas": true, "-hklout": true, "-start": true,
		"-dials_rows": true, "-background_model": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !own[a] {
			rest = append(rest, a)
			continue
		}
		if i+1 >= len(args) {
			return f, nil, &usageError{a + ": missing value"}
		}
		i++
		v := args[i]
		switch a {
		case "-data":
			f.data = append(f.data, list(v)...)
		case "-refine":
			f.names = append(f.names, list(v)...)
		case "-loss":
			if f.like, err = refine.ParseLikelihood(v); err != nil {
				return f, nil, &usageError{"-loss: " + err.Error()}
			}
		case "-readout_noise", "-gain", "-scale", "-background":
			if a == "-scale" && v == "auto" {
				f.scaleAuto = true
				continue
			}
			x, err := num(a, v)
			if err != nil {
				return f, nil, err
			}
			switch a {
			case "-readout_noise":
				if x < 0 {
					return f, nil, &usageError{fmt.Sprintf("-readout_noise: must not be negative, got %g", x)}
				}
				readout = x
			case "-gain":
				if !(x > 0) {
					return f, nil, &usageError{fmt.Sprintf("-gain: ADU per photon must be positive, got %g", x)}
				}
				f.gain, f.gainSet = x, true
			case "-scale":
				if !(x > 0) {
					return f, nil, &usageError{fmt.Sprintf("-scale: counts per photon must be positive, got %g", x)}
				}
				f.scale = x
			case "-background":
				f.bkg = x
			}
		case "-restraint":
			name, cs, ok := strings.Cut(v, "=")
			parts := strings.Split(cs, ",")
			if ok && strings.TrimSpace(name) == refine.FName {
				if f.fRestraint, err = fRestraintArg(v, parts); err != nil {
					return f, nil, err
				}
				continue
			}
			if !ok || len(parts) != 2 {
				return f, nil, &usageError{fmt.Sprintf("-restraint %q: want NAME=center,sigma", v)}
			}
			c, err := num("-restraint "+name, parts[0])
			if err != nil {
				return f, nil, err
			}
			s, err := num("-restraint "+name, parts[1])
			if err != nil {
				return f, nil, err
			}
			if !(s > 0) {
				return f, nil, &usageError{fmt.Sprintf("-restraint %s: sigma must be positive, got %g", name, s)}
			}
			// Below this a restraint only holds the value, as leaving the
			// parameter out of -refine does, and swamps the loss.
			if s < minRestraintSigma*math.Max(math.Abs(c), 1) {
				return f, nil, &usageError{fmt.Sprintf("-restraint %s: sigma %g is below %g of its centre %g; to hold %s, leave it out of -refine", name, s, minRestraintSigma, c, name)}
			}
			f.restraints = append(f.restraints, refine.Restraint{Name: strings.TrimSpace(name), Center: c, Sigma: s})
		case "-select":
			if path, ok := strings.CutPrefix(v, dialsPrefix); ok && path != "" {
				f.selectMode, f.dialsRefl = "dials", path
				break
			}
			if v != "all" && v != "spots" && v != "found" {
				return f, nil, &usageError{fmt.Sprintf("-select: %q is not all, spots, found or dials:FILE.refl", v)}
			}
			f.selectMode = v
		case "-background_model":
			if f.bkgModel, err = refine.ParseBackgroundModel(v); err != nil {
				return f, nil, &usageError{"-background_model: " + err.Error()}
			}
		case "-dials_rows":
			if f.dialsRows, err = refine.ParseDIALSRows(v); err != nil {
				return f, nil, &usageError{"-dials_rows: " + err.Error()}
			}
		case "-shoebox", "-max_iter":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (a == "-max_iter" && n == 0) {
				return f, nil, &usageError{fmt.Sprintf("%s: value %q is not a positive integer", a, v)}
			}
			if a == "-shoebox" {
				if n < 1 || n > maxShoebox {
					return f, nil, &usageError{fmt.Sprintf("-shoebox: half-width %d pixels is outside 1..%d", n, maxShoebox)}
				}
				f.shoebox = n
			} else {
				f.maxIter = n
			}
		case "-strategy":
			if f.strategy, err = refine.ParseStrategy(v); err != nil {
				return f, nil, &usageError{"-strategy: " + err.Error()}
			}
		case "-fit_sigmas":
			x, err := num(a, v)
			if err != nil {
				return f, nil, err
			}
			if !(x > 0) {
				return f, nil, &usageError{fmt.Sprintf("-fit_sigmas: must be positive, got %g", x)}
			}
			f.fitSigmas = x
		case "-out":
			f.out = v
		case "-png":
			f.png = v
		case "-hklout":
			f.hklout = v
		case "-start":
			f.start = v
		}
	}
	if len(f.data) == 0 {
		return f, nil, &usageError{"-data: give the measured image(s), e.g. -data frame.img"}
	}
	if len(f.names) == 0 {
		return f, nil, &usageError{"-refine: give the parameters to refine, e.g. -refine distance,Xbeam,Ybeam"}
	}
	for _, o := range []struct{ flag, path string }{{"-out", f.out}, {"-png", f.png}, {"-hklout", f.hklout}} {
		if err := checkOutputPath(o.flag, o.path); err != nil {
			return f, nil, err
		}
	}
	if err := checkDistinctOutputs(f); err != nil {
		return f, nil, err
	}
	if err := imageio.CheckDistinct(dataPaths(f.data)); err != nil {
		// The same frame twice would count its pixels twice.
		return f, nil, &usageError{strings.Replace(err.Error(), "; give another file", "; give each frame once", 1)}
	}
	if readout != 0 {
		if _, ok := f.like.(refine.Gaussian); !ok {
			return f, nil, &usageError{"-readout_noise: only the gaussian loss uses it (add -loss gaussian)"}
		}
		if f.like, err = refine.NewGaussian(readout); err != nil {
			return f, nil, &usageError{"-readout_noise: " + err.Error()}
		}
	}
	if f.bkgModel == refine.ShoeboxBackground && (f.dialsRefl == "" || !slices.Contains(f.names, graph.PBackground)) {
		return f, nil, &usageError{"-background_model shoebox: refines one background per DIALS shoebox: give -select dials:FILE.refl and background in -refine"}
	}
	if (f.hklout != "" || f.fRestraint > 0) && !f.refinesF() {
		return f, nil, &usageError{"-hklout and -restraint F=S need the structure factors refined (add F to -refine)"}
	}
	return f, rest, nil
}

// hasOption reports whether args set any of the options.
func hasOption(args []string, names ...string) bool {
	for _, a := range args {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

// refineFrame is one data image with its prepared starting model.
type refineFrame struct {
	image *refine.Image
	prob  *sim.Problem
}

// prepareFrames reads every image and prepares its model: the phi range
// of a wedge comes from each header unless the command line gives it.
func prepareFrames(fl refineFlags, rest []string, dirs sim.Dirs) ([]refineFrame, error) {
	phiGiven := hasOption(rest, "-phi", "-osc", "-phistep")
	var frames []refineFrame
	for _, path := range fl.data {
		s, err := config.Parse(rest) // fresh settings per frame
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		det, err := readExptDetector(s)
		if err != nil {
			return nil, err
		}
		var im *refine.Image
		if s.ExptPanels != nil {
			if err := checkPanelRun(fl, s); err != nil {
				return nil, err
			}
			if im, err = readPanelData(path, s, fl, det); err != nil {
				return nil, err
			}
		} else {
			cal, err := calibration(s, fl, det)
			if err != nil {
				return nil, err
			}
			if im, err = refine.ReadCalibrated(path, s.FPixels, s.SPixels, cal); err != nil {
				if e := multiPanelData(path, det); e != nil {
					return nil, e
				}
				return nil, fmt.Errorf("-data: %w", err)
			}
		}
		if !phiGiven && !math.IsNaN(im.OscStartDeg) && !math.IsNaN(im.OscRangeDeg) && (im.OscStartDeg != 0 || im.OscRangeDeg != 0) {
			args := append(append([]string(nil), rest...), "-phi", strconv.FormatFloat(im.OscStartDeg, 'g', -1, 64),
				"-osc", strconv.FormatFloat(im.OscRangeDeg, 'g', -1, 64))
			if s, err = config.Parse(args); err != nil {
				return nil, &usageError{fmt.Sprintf("%s header: %v", path, err)}
			}
		}
		p, err := sim.Prepare(s, dirs)
		if err != nil {
			if exitStatus(err) == 2 {
				return nil, &usageError{err.Error()}
			}
			return nil, err
		}
		if p.Exp.Setup.Panels != nil {
			if err := keepRefinedMotions(p, fl.names); err != nil {
				return nil, err
			}
		}
		p.Exp.Params.Set(graph.PScale, fl.scale)
		p.Exp.Params.Set(graph.PBackground, fl.bkg)
		frames = append(frames, refineFrame{image: im, prob: p})
	}
	return frames, nil
}

// selectPixels returns the pixels to fit per frame (nil: all), and a note;
// -select found says on stderr what it found.
func selectPixels(fl refineFlags, frames []refineFrame, stderr io.Writer) ([][]int, string, error) {
	s := frames[0].prob.Settings
	mode := fl.selectMode
	if mode == "" {
		mode = "all"
		if len(frames[0].image.Counts) > 1024*1024 {
			mode = "spots"
		}
	}
	if fl.dials != nil {
		return fl.dials.shoeboxes(frames)
	}
	out := make([][]int, len(frames))
	if mode == "all" {
		return out, "all pixels", nil
	}
	if mode == "found" {
		return selectFound(fl, frames, stderr)
	}
	if fl.scaleAuto {
		// The predicted spots are those of the starting scale's counts.
		return nil, "", &usageError{"-scale auto: -select spots picks the shoeboxes by the starting scale's counts: give -scale S, or -select all, found or dials:FILE.refl"}
	}
	for k, fr := range frames {
		img, err := fr.prob.Image()
		if err != nil {
			return nil, "", err
		}
		mu := make([]float64, len(img))
		for i, v := range img {
			mu[i] = fl.scale*v + fl.bkg
		}
		if sizes := fr.image.Panels; sizes != nil {
			out[k] = selectPanelSpots(mu, sizes, fl.shoebox)
		} else {
			out[k] = refine.SelectSpots(mu, s.FPixels, s.SPixels, fl.shoebox, refine.SpotThreshold{})
		}
		if len(out[k]) == 0 {
			return nil, "", &usageError{fmt.Sprintf("-select spots: the starting model predicts no spot on %s", fr.image.Name)}
		}
	}
	return out, fmt.Sprintf("spot shoeboxes of half-width %d", fl.shoebox), nil
}

// runRefine implements `gobragg refine`.
func runRefine(args []string, stdout, stderr io.Writer) int {
	fail := failer("refine", stderr)
	start := time.Now()
	fl, rest, err := refineArgs(args)
	if err != nil {
		return fail(err)
	}
	// Refine writes only -out and -png, and takes its structure factors
	// from -hkl or -default_F, never from an Fdump.bin in the directory.
	frames, err := prepareFrames(fl, rest, sim.Dirs{NoDump: true})
	if err != nil {
		return fail(err)
	}
	if err := checkFInputs(fl, frames); err != nil {
		return fail(err)
	}
	if err := panelDefaults(&fl, frames); err != nil {
		return fail(err)
	}
	if err := applyStart(fl.start, frames); err != nil {
		return fail(err)
	}
	if fl.dials, err = loadDIALS(fl, frames); err != nil {
		return fail(err)
	}
	pixels, how, err := selectPixels(fl, frames, stderr)
	if err != nil {
		return fail(err)
	}
	prob := &refine.Problem{Names: fl.names, Likelihood: fl.like, Restraints: fl.restraints, FRestraint: fl.fRestraint,
		Background: fl.bkgModel, ScaleFromData: fl.scaleAuto}
	if fl.bkgModel == refine.ShoeboxBackground {
		prob.Shoeboxes = fl.dials.boxes(frames)
	}
	for k, fr := range frames {
		prob.Frames = append(prob.Frames, refine.Frame{Name: fr.image.Name, Exp: fr.prob.Exp, Counts: fr.image.Counts, Pixels: pixels[k]})
	}
	// On a terminal a bar of the iterations (against the -max_iter bound)
	// stays below the iteration lines; elsewhere only the lines are written.
	var meter *progress.Meter
	if f := progress.Terminal(stderr); f != nil && frames[0].prob.Settings.Progress {
		meter = progress.NewBar(f, cmp.Or(fl.maxIter, refine.DefaultMaxIterations), "refine", "iterations")
	}
	defer meter.Stop()
	settings := refine.Settings{MaxIterations: fl.maxIter, Strategy: fl.strategy, FitSigmas: fl.fitSigmas, Progress: func(it refine.Iteration) {
		var vals []string
		for j, v := range it.Values {
			if j == 6 {
				vals = append(vals, "...")
				break
			}
			vals = append(vals, fmt.Sprintf("%s=%.7g", it.Names[j], v))
		}
		meter.Update(it.Iter)
		meter.Println(stderr, fmt.Sprintf("iter %3d  loss %.12g  |grad| %.3g  %7.2fs  [%s]  %s", it.Iter, it.Loss, it.GradNorm,
			it.Elapsed.Seconds(), it.Stage, strings.Join(vals, " ")))
	}}
	res, err := refine.Refine(prob, settings, nil)
	if err != nil {
		meter.Stop() // the error's line starts below the bar
		var up *refine.UnknownParameterError
		if errors.As(err, &up) {
			return fail(&usageError{"-refine: " + up.Error()})
		}
		if s := frames[0].prob.Settings; errors.Is(err, refine.ErrNoSignal) && s.HKLFile != "" {
			// Name the table: the reflections it lacks have F = -default_F.
			return fail(fmt.Errorf("-hkl %s (F = -default_F %g for the reflections it lacks): %w", s.HKLFile, s.DefaultF, err))
		}
		return fail(err)
	}
	meter.FinishAt(res.Iterations)
	res.Wall = time.Since(start)
	note := fmt.Sprintf("%d pixels used (%s, %d frame(s)%s)", res.Pixels, how, len(frames), leftOutNote(frames))
	cents, err := fl.dials.centroids(prob.Frames[0].Exp)
	if err != nil {
		return fail(err)
	}
	if cents != nil {
		counts := make([][]float64, len(frames))
		for k, fr := range frames {
			counts[k] = fr.image.Counts
		}
		cents.Image = refine.CompareImageCentroids(fl.dials.table, fl.dials.images, frames[0].image.Fast, res.Model, res.Background, counts)
	}
	dialsF := fl.dials.compareF(res)
	// Outputs are written together only once everything has succeeded.
	var batch imageio.Batch
	if fl.out != "" {
		if err := batch.Add(fl.out, func(w io.Writer) error { return writeRefineJSON(w, res, fl, args, cents, dialsF) }); err != nil {
			batch.Abort()
			return fail(fmt.Errorf("-out: %w", err))
		}
	}
	if fl.hklout != "" {
		if err := batch.Add(fl.hklout, func(w io.Writer) error { return writeRefinedHKL(w, res) }); err != nil {
			batch.Abort()
			return fail(fmt.Errorf("-hklout: %w", err))
		}
	}
	if fl.png != "" {
		if err := batch.Add(fl.png, func(w io.Writer) error {
			if fl.dials != nil {
				return fl.dials.writeGallery(w, frames, res.Model)
			}
			fast, slow := frames[0].image.Fast, frames[0].image.Slow
			return refine.WritePNG(w, raster.Whole(frames[0].image.Counts, fast, slow), raster.Whole(res.Model[0], fast, slow), res.LossHistory)
		}); err != nil {
			batch.Abort()
			return fail(fmt.Errorf("-png: %w", err))
		}
	}
	if err := batch.Commit(); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "%s\n%s%s%s", note, res, centroidLine(cents), dialsFLine(dialsF))
	if !res.Converged {
		fmt.Fprintf(stderr, "gobragg refine: did not converge: %s\n", res.Reason)
		return 3
	}
	return 0
}

// minRestraintSigma is the smallest restraint sigma, relative to its
// centre (or 1), that refine takes.
const minRestraintSigma = 1e-9

// maxShoebox is the largest -shoebox half-width in pixels.
const maxShoebox = 512

// dataPaths names the -data images for imageio.CheckOutputs.
func dataPaths(data []string) []imageio.NamedPath {
	var out []imageio.NamedPath
	for _, d := range data {
		out = append(out, imageio.NamedPath{Option: "-data", Path: d})
	}
	return out
}

// checkDistinctOutputs refuses an output that names a -data image or the
// other output (after resolving links): the write would destroy the data,
// or one output the other.
func checkDistinctOutputs(f refineFlags) error {
	if err := imageio.CheckOutputs(dataPaths(f.data), refineOutputs(f)); err != nil {
		return &usageError{err.Error()}
	}
	return nil
}

// checkOutputPath refuses an output that exists and is not a regular file
// (a directory, a device such as /dev/null, a FIFO): the atomic write
// would rename a new file over it.
func checkOutputPath(flag, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return &usageError{fmt.Sprintf("%s %s: not a regular file (%s); give a file name", flag, path, st.Mode().Type())}
	}
	return nil
}

// failer returns a subcommand's error report: one line on stderr, and
// exit status 2 for a command-line or input mistake (including the
// simulation's, a *config.UsageError from sim.Prepare), 1 for anything
// else.
func failer(name string, stderr io.Writer) func(error) int {
	return func(err error) int {
		fmt.Fprintf(stderr, "gobragg %s: %v\n", name, err)
		var ue *usageError
		if errors.As(err, &ue) || errors.Is(err, refine.ErrBadInput) || exitStatus(err) == 2 {
			return 2
		}
		return 1
	}
}

// jsonNumber is a float that encodes NaN as null.
type jsonNumber float64

func (x jsonNumber) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(float64(x), 'g', -1, 64)), nil
}

func writeRefineJSON(w io.Writer, res *refine.Result, fl refineFlags, args []string, cents *refine.DIALSCentroids, dialsF *refine.DIALSF) error {
	type param struct {
		Start jsonNumber  `json:"start"`
		Value jsonNumber  `json:"value"`
		Sigma *jsonNumber `json:"sigma"` // null when the fit did not converge, or at 0
		Unit  string      `json:"unit"`
		// AtZero marks a Poisson background at its bound 0 (refine.Fitted).
		AtZero bool `json:"at_zero,omitempty"`
	}
	params := map[string]param{}
	var names []string
	for _, p := range res.Parameters {
		pp := param{Start: jsonNumber(p.Start), Value: jsonNumber(p.Value), Unit: p.Unit, AtZero: p.AtZero}
		if res.Converged {
			s := jsonNumber(p.Sigma)
			pp.Sigma = &s
		}
		params[p.Name] = pp
		names = append(names, p.Name)
	}
	var corr any
	if res.Converged {
		m := make([][]jsonNumber, len(res.Correlation))
		for i, row := range res.Correlation {
			for _, v := range row {
				m[i] = append(m[i], jsonNumber(v))
			}
		}
		corr = struct {
			Names  []string       `json:"names"`
			Matrix [][]jsonNumber `json:"matrix"`
		}{names, m}
	}
	hist := make([]jsonNumber, len(res.LossHistory))
	for i, v := range res.LossHistory {
		hist[i] = jsonNumber(v)
	}
	undetermined := res.Undetermined
	if undetermined == nil {
		undetermined = []string{}
	}
	type spotsJSON struct {
		Found        int        `json:"found"`
		Matched      int        `json:"matched"`
		RMSDStartPx  jsonNumber `json:"centroid_rmsd_start_px,omitempty"`
		CentroidRMSD jsonNumber `json:"centroid_rmsd_px"`
	}
	type stageJSON struct {
		Stage      string     `json:"stage"`
		Parameters int        `json:"parameters"`
		Iterations int        `json:"iterations"`
		Loss       jsonNumber `json:"loss"`
		Status     string     `json:"status"`
		Spots      *spotsJSON `json:"spots,omitempty"`
	}
	var stages []stageJSON
	for _, st := range res.Stages {
		sj := stageJSON{Stage: st.Stage, Parameters: st.Parameters, Iterations: st.Iterations, Loss: jsonNumber(st.Loss), Status: st.Status}
		if st.Spots != nil { // spot stages
			sj.Spots = &spotsJSON{st.Spots.Found, st.Spots.Matched, jsonNumber(st.Spots.RMSDStart), jsonNumber(st.Spots.RMSD)}
		}
		stages = append(stages, sj)
	}
	var found *spotsJSON
	if res.Spots != nil {
		found = &spotsJSON{Found: res.Spots.Found, Matched: res.Spots.Matched, CentroidRMSD: jsonNumber(res.Spots.RMSD)}
	}
	gof := struct {
		Statistic        string     `json:"statistic"`
		Value            jsonNumber `json:"value"`
		Expected         jsonNumber `json:"expected"`
		Sigma            jsonNumber `json:"sigma"`
		Z                jsonNumber `json:"z"`
		Pixels           int        `json:"pixels"`
		PerPixel         jsonNumber `json:"per_pixel"`
		ExpectedPerPixel jsonNumber `json:"expected_per_pixel"`
	}{res.Fit.Statistic, jsonNumber(res.Fit.Value), jsonNumber(res.Fit.Expected), jsonNumber(res.Fit.Sigma),
		jsonNumber(res.Fit.Z), res.Fit.Pixels, jsonNumber(res.Fit.PerPixel()), jsonNumber(res.Fit.ExpectedPerPixel())}
	out := struct {
		Converged     bool             `json:"converged"`
		Reason        string           `json:"reason"`
		Parameters    map[string]param `json:"parameters"`
		Correlation   any              `json:"correlation"`
		Undetermined  []string         `json:"undetermined"`
		GoodnessOfFit any              `json:"goodness_of_fit"`
		Spots         *spotsJSON       `json:"spots"`
		DIALS         *centroidsJSON   `json:"dials_centroids,omitempty"`
		DIALSF        *dialsFJSON      `json:"dials_F,omitempty"`
		Stages        []stageJSON      `json:"stages"`
		F             *fJSON           `json:"structure_factors,omitempty"`
		Backgrounds   *bkgJSON         `json:"shoebox_backgrounds,omitempty"`
		BoxFits       []boxFitJSON     `json:"shoebox_fits,omitempty"`
		Loss          jsonNumber       `json:"loss"`
		LossKind      string           `json:"loss_kind"`
		Iterations    int              `json:"iterations"`
		Evaluations   int              `json:"evaluations"`
		Pixels        int              `json:"pixels"`
		Status        string           `json:"status"`
		WallSeconds   float64          `json:"wall_seconds"`
		LossHistory   []jsonNumber     `json:"loss_history"`
		Data          []string         `json:"data"`
		Command       []string         `json:"command"`
		Version       string           `json:"version"`
	}{res.Converged, res.Reason, params, corr, undetermined, gof, found, newCentroidsJSON(cents), newDIALSFJSON(dialsF), stages, structureFactorsJSON(res, fl), shoeboxBackgroundsJSON(res), shoeboxFitsJSON(res), jsonNumber(res.Loss),
		fl.like.Name(), res.Iterations, res.Evaluations, res.Pixels, res.Status, res.Wall.Seconds(), hist,
		fl.data, append([]string{"gobragg", "refine"}, args...), version()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
