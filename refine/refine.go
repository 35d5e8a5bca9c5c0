package refine

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"

	"gobragg/graph"
	"gobragg/spots"
)

// ErrBadInput marks problems that are the caller's mistake (a command
// line would exit 2 for them).
var ErrBadInput = errors.New("bad input")

// ErrNoSignal marks a refused start whose model measures too little in
// the fitted pixels to refine: every reflection there has F = 0 (absent
// from the structure-factor table, with default_F 0), or the model
// predicts none there. Such errors are also ErrBadInput.
var ErrNoSignal = errors.New("no signal in the fitted pixels")

// noSignalf is badf for a start that measures too little (ErrNoSignal).
func noSignalf(format string, args ...any) error {
	return signalError(fmt.Sprintf(format, args...))
}

type signalError string

func (e signalError) Error() string        { return ErrBadInput.Error() + ": " + string(e) }
func (e signalError) Is(target error) bool { return target == ErrBadInput || target == ErrNoSignal }

func badf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadInput, fmt.Sprintf(format, args...))
}

// fitter holds a prepared problem: compiled models and the map between
// normalised variables and parameter values.
type fitter struct {
	p      *Problem
	s      Settings
	names  []string // refined names: Problem.Names with background per frame
	infos  []paramInfo
	starts []float64 // option units
	trans  []transform
	models []*graph.Model
	losses []*DataLoss // per frame: the loss of the model's graph
	lists  [][]int     // per frame: fitted detector pixels
	data   [][]float64 // per frame: counts of the fitted pixels
	rest   []restraint
	npix   int
	// fs holds the refined structure factors (nil: none), the last
	// parameters from fs.first on.
	fs *fState
	// bs holds the refined shoebox backgrounds (nil: none), the
	// parameters from bs.first to fs.first.
	bs *bState
	// floor marks the backgrounds floored at 0 (nil: none; see bound.go).
	floor []bool
	// found caches the spots found on each frame's data.
	found [][]spots.Spot
	// stage names the stage under way, for progress.
	stage string
	// newtonSteps counts the Fisher-scoring steps that finished the fit
	// (newtonPolish).
	newtonSteps int

	evals   int
	cacheX  []float64
	cacheF  float64
	cacheG  []float64
	cacheOK bool
	start   time.Time
	history []float64
}

type restraint struct {
	j             int
	center, sigma float64
}

// Refine fits the problem's parameters to its frames: the stages of
// Settings.Strategy (nil: DefaultStrategy) in turn, each pixel stage
// minimising the loss (plus restraints) with method (nil: L-BFGS with a
// bisection line search that stops at minLineDecrease) on
// normalised variables. It then computes standard errors from the Fisher
// information and judges the fit: Result.Converged is true only when the
// last stage stopped at a minimum (gradient or loss converged, no
// parameter held at a bound) and the model fits the data (goodness of
// fit within Settings.FitSigmas). The frames' experiments are left at the
// refined values.
func Refine(p *Problem, s Settings, method optimize.Method) (*Result, error) {
	f, err := newFitter(p, s)
	if err != nil {
		return nil, err
	}
	defer f.close()
	f.start = time.Now()
	strategy := s.Strategy
	if strategy == nil {
		strategy = DefaultStrategy()
	}
	if len(strategy) == 0 || !endsWithAll(strategy) {
		return nil, badf("the strategy must end with a fit of every parameter (all or hop:N)")
	}
	if p.ScaleFromData {
		if err := f.scaleFromData(); err != nil {
			return nil, err
		}
	}
	if err := f.chooseSteps(f.starts); err != nil {
		return nil, err
	}
	if err := f.checkStart(); err != nil {
		return nil, err
	}
	values := append([]float64(nil), f.starts...)
	out := &Result{Pixels: f.npix}
	var last pixelOutcome
	for _, st := range strategy {
		active := f.active(st)
		rep := StageReport{Stage: st.String(), Parameters: len(active)}
		f.stage = rep.Stage
		if len(active) == 0 {
			rep.Status = "nothing to refine"
			out.Stages = append(out.Stages, rep)
			continue
		}
		switch st.Kind {
		case SpotStage:
			next, sr, err := f.spotStage(values, active)
			if err != nil {
				return nil, err
			}
			rep.Spots = &sr
			rep.Status = fmt.Sprintf("%d of %d spots matched, centroid RMSD %.3g -> %.3g px", sr.Matched, sr.Found, sr.RMSDStart, sr.RMSD)
			if f.multiPanel() {
				rep.Spots, rep.Status = nil, "skipped: the spots of a multi-panel detector are not found"
			}
			if values, rep.Loss, err = f.keepIfLower(values, next, &rep); err != nil {
				return nil, err
			}
		case ScanStage:
			// A hop out of a false minimum, taken only when the model
			// does not fit the data where the last stage left it.
			if fits, g, err := f.fits(values); err != nil {
				return nil, err
			} else if fits {
				rep.Status = fmt.Sprintf("not needed: the model fits (%.1f sigma)", g.Z)
				break
			}
			next, evals, err := f.scanStage(values, active)
			if err != nil {
				return nil, err
			}
			values = next
			rep.Status = fmt.Sprintf("%d grid points", evals)
		case HopStage:
			next, o, note, err := f.hopStage(values, active, st.Hops, method)
			if err != nil {
				return nil, err
			}
			values = next
			rep.Iterations, rep.Loss, rep.Status = o.iterations, o.loss, note
			if o.iterations > 0 {
				last = o
			}
			out.Iterations += o.iterations
		case BroadStage:
			next, o, err := f.broadStage(values, active, st.Broaden, method)
			if err != nil {
				return nil, err
			}
			rep.Iterations, rep.Status = o.iterations, o.status.String()
			out.Iterations += o.iterations
			if values, rep.Loss, err = f.keepIfLower(values, next, &rep); err != nil {
				return nil, err
			}
		case PixelStage:
			// Each pixel stage starts its normalised variables at the
			// current values, keeping the steps of the start.
			f.recentre(values)
			last, err = f.pixelStage(active, method)
			if err != nil {
				return nil, err
			}
			values = last.values
			rep.Iterations, rep.Loss, rep.Status = last.iterations, last.loss, last.status.String()
			if last.err != nil {
				rep.Status += " (" + last.err.Error() + ")"
			}
			out.Iterations += last.iterations
		}
		rep.Values = append([]float64(nil), values...)
		out.Stages = append(out.Stages, rep)
	}
	// A strategy that ends where the model does not fit is checked
	// against the plain fit of everything from the start: the lower loss
	// wins (coarse stages can mislead where their models are poor, as
	// spots far from the Ewald sphere are for centroids).
	if len(strategy) > 1 && len(f.names) > 0 {
		fits, _, err := f.fits(values)
		if err != nil {
			return nil, err
		}
		if !fits {
			f.stage = "all from the start"
			f.recentre(f.starts)
			plain, err := f.pixelStage(f.active(Stage{Kind: PixelStage, Group: AllParams}), method)
			if err != nil {
				return nil, err
			}
			rep := StageReport{Stage: "all from the start",
				Parameters: len(f.names), Iterations: plain.iterations, Loss: plain.loss, Values: plain.values}
			out.Iterations += plain.iterations
			if plain.loss < last.loss {
				last, values = plain, plain.values
				rep.Status = plain.status.String() + ": kept, a lower loss than the strategy's"
			} else {
				rep.Status = plain.status.String() + ": not kept, the strategy's loss is lower"
			}
			out.Stages = append(out.Stages, rep)
		}
	}
	// Leave the models at the optimum and read the Fisher information there.
	opt, err := f.readOptimum(values)
	if err != nil {
		return nil, err
	}
	out.Status = last.status.String()
	if last.err != nil {
		out.Status += " (" + last.err.Error() + ")"
	}
	if last.status == optimize.Failure && !(opt.decrement < maxDecrement) && len(f.names) > 0 {
		before := opt.decrement
		if opt, f.newtonSteps, err = f.newtonPolish(opt); err != nil {
			return nil, err
		}
		values = opt.values
		out.Stages = append(out.Stages, StageReport{Stage: "newton", Parameters: len(f.names), Iterations: f.newtonSteps,
			Loss: opt.loss, Values: append([]float64(nil), values...),
			Status: fmt.Sprintf("Fisher scoring: Newton decrement %.3g -> %.3g", before, opt.decrement)})
	}
	out.Loss, out.Evaluations, out.LossHistory = opt.loss, f.evals, f.history
	n := len(f.names)
	cov, atZero := opt.cov, opt.atZero
	out.Undetermined = opt.undetermined
	out.Decrement = opt.decrement
	out.Correlation = make([][]float64, n)
	for i := 0; i < n; i++ {
		sigma := math.Sqrt(cov[i][i])
		if math.IsNaN(cov[i][i]) || cov[i][i] < 0 {
			sigma = math.NaN()
		}
		out.Parameters = append(out.Parameters, Fitted{Name: f.names[i], Unit: f.infos[i].Unit,
			Start: f.starts[i], Value: values[i], Sigma: sigma, AtZero: atZero != nil && atZero[i]})
		out.Correlation[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			out.Correlation[i][j] = cov[i][j] / math.Sqrt(cov[i][i]*cov[j][j])
		}
	}
	f.splitF(out)
	f.splitBoxes(out)
	out.Model, out.Background = f.modelCounts(values)
	mu := f.expectedAll()
	out.Fit = goodness(f.likelihood(), f.data, mu)
	out.BoxFits, out.FitSigmas = f.boxFits(mu), f.fitSigmas()
	if sr, err := f.spotReport(); err == nil {
		out.Spots = &sr
	}
	out.Converged, out.Reason = f.judge(last, out)
	out.Wall = time.Since(f.start)
	return out, nil
}

// goodness is the goodness of fit of the models as last evaluated.
func (f *fitter) goodness() GoodnessOfFit {
	return goodness(f.likelihood(), f.data, f.expectedAll())
}

// expectedAll returns every frame's expected counts (expected).
func (f *fitter) expectedAll() [][]float64 {
	mu := make([][]float64, len(f.models))
	for k := range f.models {
		mu[k] = f.expected(k)
	}
	return mu
}

// likelihood is the per-pixel definition of the problem's loss.
func (f *fitter) likelihood() Likelihood {
	if f.p.Likelihood == nil {
		return Poisson{}
	}
	return f.p.Likelihood
}

// poisson reports whether the loss is the Poisson likelihood, under
// which no background lies below 0.
func (f *fitter) poisson() bool {
	_, ok := f.likelihood().(Poisson)
	return ok
}

// lsq reports whether the loss is least squares, whose pixel weights are
// in units of the residual variance the fit estimates.
func (f *fitter) lsq() bool {
	_, ok := f.likelihood().(LSQ)
	return ok
}

// expected returns frame k's expected counts mu = scale * image +
// background on its fitted pixels, as the model was last evaluated (the
// loss's own mu).
func (f *fitter) expected(k int) []float64 {
	m := f.models[k]
	return f.losses[k].expected(m.Image(), m.Exp.Params.Values())
}

// background returns frame k's background counts on its fitted pixels:
// the graph's constant plus any per-pixel (shoebox) background.
func (f *fitter) background(k int) []float64 {
	return f.losses[k].background(f.models[k].Exp.Params.Values())
}

// fitSigmas is the goodness-of-fit bound in force.
func (f *fitter) fitSigmas() float64 {
	if f.s.FitSigmas > 0 {
		return f.s.FitSigmas
	}
	return DefaultFitSigmas
}

// fits evaluates the models at values and says whether they fit the data.
func (f *fitter) fits(values []float64) (bool, GoodnessOfFit, error) {
	if _, _, err := f.lossGrad(values); err != nil {
		return false, GoodnessOfFit{}, err
	}
	f.cacheOK = false
	g := f.goodness()
	return g.Statistic == "none" || g.Z <= f.fitSigmas(), g, nil
}

// keepIfLower returns next when the loss of the full model is no higher
// there than at values, and values otherwise (saying so in the report):
// a coarse stage whose model misleads it must not leave the fit worse
// than it found it.
func (f *fitter) keepIfLower(values, next []float64, rep *StageReport) ([]float64, float64, error) {
	before, _, err := f.lossGrad(values)
	if err != nil {
		return nil, 0, err
	}
	after, _, err := f.lossGrad(next)
	f.cacheOK = false
	if err != nil {
		return nil, 0, err
	}
	if after <= before {
		return next, after, nil
	}
	rep.Status += fmt.Sprintf("; not kept: the loss rose from %.10g to %.10g", before, after)
	return values, before, nil
}

// pixelOutcome is how a pixel stage ended.
type pixelOutcome struct {
	values     []float64
	loss       float64
	iterations int
	status     optimize.Status
	err        error // the optimiser's own error (a failed line search)
}

// minimize minimises the loss over the active parameters, the others
// held, from the current centre of the normalised variables (none
// active: the centre as it is).
func (f *fitter) minimize(active []int, method optimize.Method) (pixelOutcome, error) {
	if len(active) == 0 {
		x := make([]float64, len(f.trans))
		loss, err := f.eval(x)
		if err != nil {
			return pixelOutcome{}, err
		}
		return pixelOutcome{values: f.values(x), loss: loss, status: optimize.GradientThreshold}, nil
	}
	s := f.s
	if method == nil {
		method = defaultMethod()
	}
	maxIter := s.MaxIterations
	if maxIter <= 0 {
		maxIter = DefaultMaxIterations
	}
	tol := s.LossTolerance
	if tol <= 0 {
		tol = 1e-12
	}
	gtol := s.GradientThreshold
	if gtol <= 0 {
		gtol = 1e-3
	}
	n := len(f.names)
	full := func(x []float64) []float64 {
		y := make([]float64, n)
		for a, j := range active {
			y[j] = x[a]
		}
		return y
	}
	var evalErr error
	prob := optimize.Problem{
		Func: func(x []float64) float64 {
			v, err := f.eval(full(x))
			if err != nil && evalErr == nil {
				evalErr = err
			}
			return v
		},
		Grad: func(g, x []float64) {
			if _, err := f.eval(full(x)); err != nil && evalErr == nil {
				evalErr = err
			}
			for a, j := range active {
				g[a] = f.cacheG[j]
			}
		},
	}
	settings := &optimize.Settings{
		GradientThreshold: gtol,
		MajorIterations:   maxIter,
		Converger:         &optimize.FunctionConverge{Absolute: 1e-6, Relative: tol, Iterations: 1},
		Recorder:          &recorder{f: f, full: full},
	}
	res, err := optimize.Minimize(prob, make([]float64, len(active)), settings, method)
	if evalErr != nil {
		return pixelOutcome{}, evalErr
	}
	if res == nil {
		return pixelOutcome{}, fmt.Errorf("refine: %w", err)
	}
	if res.Status == optimize.Failure && res.Stats.MajorIterations == 0 && err != nil {
		return pixelOutcome{}, fmt.Errorf("refine: the optimiser failed at the start: %v", err)
	}
	return pixelOutcome{values: f.values(full(res.X)), loss: res.F, iterations: res.Stats.MajorIterations,
		status: res.Status, err: err}, nil
}

// judge says whether a fit converged and, when not, why.
func (f *fitter) judge(last pixelOutcome, r *Result) (bool, string) {
	switch {
	case last.status == optimize.IterationLimit:
		return false, "iteration limit"
	case last.status == optimize.Failure && !(r.Decrement < maxDecrement):
		msg := "line-search failure"
		if last.err != nil {
			msg += " (" + last.err.Error() + ")"
		}
		return false, fmt.Sprintf("%s %.3g log-likelihood units above the minimum a Newton step predicts", msg, r.Decrement)
	case last.status != optimize.Failure && last.status != optimize.GradientThreshold && last.status != optimize.FunctionConvergence:
		return false, "the optimiser stopped: " + last.status.String()
	}
	for j, p := range r.Parameters {
		info := f.infos[j]
		if f.floored(j) {
			// A linear map holds nothing near the bound: a floored
			// background is inside, or at 0 at a Karush-Kuhn-Tucker
			// point (AtZero), or at 0 with the loss falling inwards.
			if p.Value == 0 && !p.AtZero {
				return false, p.Name + " is held at its bound 0 where the loss falls inwards"
			}
			continue
		}
		if near := f.nearBound(j, p); p.Value-info.Lower < near || info.Upper-p.Value < near {
			return false, p.Name + " is held at a bound"
		}
	}
	if r.Fit.Statistic != "none" && r.Fit.Z > f.fitSigmas() {
		return false, fmt.Sprintf("model does not fit: %s %.6g is %.1f sigma above its expectation %.6g",
			r.Fit.Statistic, r.Fit.Value, r.Fit.Z, r.Fit.Expected)
	}
	if r.Fit.Statistic == "none" {
		return true, "converged: " + last.status.String()
	}
	how := statusWords(last.status)
	if f.newtonSteps > 0 {
		how = fmt.Sprintf("Fisher scoring after the line search gave up (%d steps), Newton decrement below 0.001", f.newtonSteps)
	}
	return true, fmt.Sprintf("converged: %s; %s %.4g per pixel, expected %.4g", how,
		r.Fit.Statistic, r.Fit.PerPixel(), r.Fit.ExpectedPerPixel())
}

// maxDecrement is the largest Newton decrement (log-likelihood units) at
// which a fit whose line search failed has still converged: the minimum
// then lies within sqrt(2*0.001) = 0.045 standard errors along any
// direction, and the loss differences the search compared were rounding.
const maxDecrement = 1e-3

// newtonDecrement is the loss decrease a Newton step would still make,
// g^T C g / 2 with C the covariance (the inverse Fisher information),
// over the parameters C determines; NaN when the gradient is not finite.
func newtonDecrement(g []float64, cov [][]float64) float64 {
	d := 0.0
	for i := range g {
		for j := range g {
			if c := cov[i][j]; !math.IsNaN(c) {
				d += g[i] * c * g[j]
			}
		}
	}
	return d / 2
}

// statusWords names an optimiser status in words.
func statusWords(s optimize.Status) string {
	switch s {
	case optimize.Failure:
		return "line search stopped at the minimum's rounding (Newton decrement below 0.001)"
	case optimize.GradientThreshold:
		return "gradient threshold"
	case optimize.FunctionConvergence:
		return "loss converged"
	}
	return s.String()
}

// newFitter checks the problem and compiles one model per frame.
func newFitter(p *Problem, s Settings) (*fitter, error) {
	if len(p.Frames) == 0 {
		return nil, badf("no data frames")
	}
	if len(p.Names) == 0 {
		return nil, badf("no parameters to refine")
	}
	f := &fitter{p: p, s: s}
	if err := f.likelihood().check(); err != nil {
		return nil, badf("%v", err)
	}
	seen := map[string]bool{}
	var bad []string
	for _, fr := range p.Frames {
		for _, n := range []string{graph.PScale, graph.PBackground} {
			if !fr.Exp.Params.Has(n) {
				fr.Exp.Params.Set(n, map[string]float64{graph.PScale: 1, graph.PBackground: 0}[n])
			}
		}
	}
	exp0 := p.Frames[0].Exp
	var boxStart float64
	var boxInfo *paramInfo         // set when the background is one per shoebox
	byParam := map[string]string{} // graph parameter -> the name that refines it
	wantF := false
	for _, name := range p.Names {
		if name == FName {
			if wantF {
				bad = append(bad, name+" is given twice")
			}
			wantF = true
			continue
		}
		info, ok := lookup(name)
		switch {
		case seen[name]:
			bad = append(bad, name+" is given twice")
			continue
		case !ok:
			bad = append(bad, name+" is unknown")
			continue
		case byParam[info.Param] != "":
			bad = append(bad, name+" and "+byParam[info.Param]+" are the same parameter")
			continue
		}
		byParam[info.Param] = name
		for _, fr := range p.Frames {
			if !fr.Exp.Params.Has(info.Param) {
				ok = false
			}
		}
		if !ok {
			bad = append(bad, name+" is not a parameter of this run")
			continue
		}
		seen[name] = true
		if info.Param == graph.PBackground && p.Background == ShoeboxBackground {
			// One per shoebox, added once the models map pixels to boxes.
			v, _ := exp0.Params.Get(info.Param)
			in := info
			boxStart, boxInfo = info.fromGraph(exp0, v), &in
			if !inside(boxStart, info.Lower, info.Upper) {
				return nil, badf("%s starts at %g (%s), outside its physical range (%g, %g): start inside it", name, boxStart, info.Unit, info.Lower, info.Upper)
			}
			if f.poisson() && boxStart < 0 {
				return nil, badf("%s starts at %g (%s), below 0, where no Poisson background per shoebox lies: start at 0 or above", name, boxStart, info.Unit)
			}
			for _, fr := range p.Frames {
				fr.Exp.Params.Set(graph.PBackground, 0) // the boxes carry it all
			}
			continue
		}
		// With several frames the constant background is one per frame.
		frames := []int{-1}
		if info.Param == graph.PBackground && len(p.Frames) > 1 {
			frames = frames[:0]
			for k := range p.Frames {
				frames = append(frames, k)
			}
		}
		for _, k := range frames {
			in, label, exp := info, name, exp0
			if k >= 0 {
				in.frame, label, exp = k, fmt.Sprintf("%s_%d", name, k+1), p.Frames[k].Exp
			}
			v, _ := exp.Params.Get(in.Param)
			start := in.fromGraph(exp, v)
			if !inside(start, in.Lower, in.Upper) {
				return nil, badf("%s starts at %g (%s), outside its physical range (%g, %g): start inside it", label, start, in.Unit, in.Lower, in.Upper)
			}
			if f.poisson() && in.Param == graph.PBackground && start >= 0 {
				// No Poisson mean is negative (see bound.go).
				in.Lower = 0
				f.markFloor(len(f.names))
			}
			f.names = append(f.names, label)
			f.infos = append(f.infos, in)
			f.starts = append(f.starts, start)
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrBadInput, &UnknownParameterError{Bad: bad, Valid: Names(exp0)})
	}
	if wantF && p.FRestraint <= 0 {
		// The data measure scale * F^2 (fluence likewise): only the
		// restraint's fixed centres set the level of F.
		for _, n := range []string{graph.PScale, graph.PFluence} {
			if seen[n] {
				return nil, badf("%s and %s are degenerate (the data measure %s * F^2): restrain F towards its resolution bins (-restraint F=S) or leave %s fixed", FName, n, n, n)
			}
		}
	}
	if math.IsNaN(p.FRestraint) || math.IsInf(p.FRestraint, 0) || p.FRestraint < 0 || (p.FRestraint > 0 && !wantF) {
		return nil, badf("F restraint %g: give a finite sigma of ln F > 0, and only with %s refined", p.FRestraint, FName)
	}
	for _, r := range p.Restraints {
		j := -1
		for i, n := range f.names {
			if n == r.Name {
				j = i
			}
		}
		if j < 0 {
			return nil, badf("restraint on %s, which is not refined", r.Name)
		}
		if !(r.Sigma > 0) || math.IsInf(r.Sigma, 0) || math.IsNaN(r.Center) || math.IsInf(r.Center, 0) {
			return nil, badf("restraint %s=%g,%g: the centre must be finite and sigma > 0", r.Name, r.Center, r.Sigma)
		}
		f.rest = append(f.rest, restraint{j: j, center: r.Center, sigma: r.Sigma})
	}
	for k, fr := range p.Frames {
		list, data, err := framePixels(fr, f.likelihood())
		if err != nil {
			f.close() // the models of the earlier frames
			return nil, err
		}
		loss := NewDataLoss(f.likelihood(), data, fr.Exp.Params)
		m, err := graph.Build(fr.Exp, graph.Options{Gradient: true, Loss: loss, Pixels: list, SpanPixels: s.SpanPixels})
		if err != nil {
			f.close()
			return nil, fmt.Errorf("frame %d (%s): %w", k, fr.Name, err)
		}
		f.models = append(f.models, m)
		f.losses = append(f.losses, loss)
		f.lists = append(f.lists, list)
		f.data = append(f.data, data)
		f.npix += len(list)
	}
	switch {
	case boxInfo != nil:
		if err := f.addShoeboxBackgrounds(boxStart, *boxInfo); err != nil {
			f.close()
			return nil, err
		}
	case p.Background == ShoeboxBackground:
		f.close()
		return nil, badf("a background per shoebox is a model of the refined background: refine %s", graph.PBackground)
	}
	if wantF {
		if err := f.addStructureFactors(); err != nil {
			f.close()
			return nil, err
		}
	}
	return f, nil
}

// framePixels returns the pixels of a frame that are compared with data
// and their counts.
func framePixels(fr Frame, like Likelihood) ([]int, []float64, error) {
	s := fr.Exp.Setup
	if s.Panels != nil && len(fr.Counts) != s.NPix() {
		return nil, nil, badf("%s has %d pixels, the %d panels %d", fr.Name, len(fr.Counts), len(s.Panels), s.NPix())
	}
	if s.Panels == nil && len(fr.Counts) != s.FPixels*s.SPixels {
		return nil, nil, badf("%s has %d pixels, the detector %dx%d = %d", fr.Name, len(fr.Counts), s.FPixels, s.SPixels, s.FPixels*s.SPixels)
	}
	candidates := fr.Pixels
	if candidates == nil {
		candidates = make([]int, len(fr.Counts))
		for i := range candidates {
			candidates[i] = i
		}
	}
	var list []int
	var data []float64
	prev := -1
	for _, d := range candidates {
		if d <= prev || d >= len(fr.Counts) {
			return nil, nil, badf("%s: pixel list is not increasing inside the detector", fr.Name)
		}
		prev = d
		y := fr.Counts[d]
		fp, sp := d%s.FPixels, d/s.FPixels
		if !hasData(fr, d) {
			continue
		}
		if math.IsInf(y, 0) {
			return nil, nil, badf("%s: pixel (slow %d, fast %d) has count %g", fr.Name, sp, fp, y)
		}
		if _, poisson := like.(Poisson); poisson && y < 0 {
			return nil, nil, badf("%s: pixel (slow %d, fast %d) has negative count %g, impossible for the Poisson loss (use -loss gaussian)", fr.Name, sp, fp, y)
		}
		list = append(list, d)
		data = append(data, y)
	}
	if len(list) == 0 {
		return nil, nil, badf("%s: no pixel left to fit (every pixel is masked, outside the ROI or without data)", fr.Name)
	}
	return list, data, nil
}

// hasData reports whether detector pixel d of a frame has a count to
// compare with the model: not NaN, inside the ROI and not masked (a
// multi-panel image, the panels one after another, has no ROI).
func hasData(fr Frame, d int) bool {
	s := fr.Exp.Setup
	if s.Panels != nil {
		return !math.IsNaN(fr.Counts[d]) && (s.Mask == nil || s.Mask[d] != 0)
	}
	fp, sp := d%s.FPixels, d/s.FPixels
	return !math.IsNaN(fr.Counts[d]) && s.ROI.Contains(fp, sp) &&
		(s.Mask == nil || s.Mask[d] != 0)
}

func (f *fitter) close() {
	for _, m := range f.models {
		m.Close()
	}
}

// values maps normalised variables to option-unit values.
func (f *fitter) values(x []float64) []float64 {
	v := make([]float64, len(x))
	for j, t := range f.trans {
		v[j], _ = t.value(x[j])
	}
	return v
}

// setValues writes option-unit values into every frame's model.
func (f *fitter) setValues(v []float64) error {
	for k, m := range f.models {
		theta := m.Exp.Params.Values()
		for j, info := range f.infos {
			if f.graphParam(j) && (info.frame < 0 || info.frame == k) {
				theta[m.Exp.Params.Index(info.Param)], _ = info.toGraph(m.Exp, v[j])
			}
		}
		if err := m.SetParams(theta); err != nil {
			return err
		}
	}
	if f.bs != nil {
		if err := f.setBoxBackgrounds(v); err != nil {
			return err
		}
	}
	if f.fs != nil {
		return f.setF(v)
	}
	return nil
}

// lossGrad evaluates the loss with restraints and dL/dvalue (option units).
func (f *fitter) lossGrad(v []float64) (float64, []float64, error) {
	if err := f.setValues(v); err != nil {
		return 0, nil, err
	}
	f.evals++
	if err := f.runFrames(); err != nil {
		return 0, nil, err
	}
	loss := 0.0
	g := make([]float64, len(v))
	for k, m := range f.models {
		loss += m.Loss()
		grad, err := m.Gradient()
		if err != nil {
			return 0, nil, err
		}
		for j, info := range f.infos {
			if f.graphParam(j) && (info.frame < 0 || info.frame == k) {
				_, d := info.toGraph(m.Exp, v[j])
				g[j] += grad[info.Param] * d
			}
		}
		if err := f.boxGradient(k, g); err != nil {
			return 0, nil, err
		}
		if f.fs != nil {
			gf, err := m.GradientF()
			if err != nil {
				return 0, nil, err
			}
			for j := f.fs.first; j < len(v); j++ {
				g[j] += gf[f.infos[j].fIndex]
			}
		}
	}
	loss += f.fRestraintLoss(v, g)
	for _, r := range f.rest {
		d := (v[r.j] - r.center) / r.sigma
		loss += 0.5 * d * d
		g[r.j] += d / r.sigma
	}
	return loss, g, nil
}

// runFrames runs every frame's model, up to GOMAXPROCS of them at once:
// the frames' graphs are independent, and one frame of shoeboxes alone
// leaves cores idle (its geometry is serial, its kernel short). The
// caller sums their losses in frame order, so the result is the same
// bits as running them one by one; the first frame's error is returned.
func (f *fitter) runFrames() error {
	errs := make([]error, len(f.models))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k, m := range f.models {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			errs[k] = m.Run()
			<-slots
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// eval returns the loss at normalised x and caches its gradient in x.
func (f *fitter) eval(x []float64) (float64, error) {
	if f.cacheOK && floats.Equal(x, f.cacheX) {
		return f.cacheF, nil
	}
	v := f.values(x)
	if !allFinite(v) || f.belowFloor(v) {
		// A step so long that a bounded parameter's map overflowed, or
		// a floored background below 0: no model there; the line
		// search backs off from +Inf.
		f.cacheX = append(f.cacheX[:0], x...)
		f.cacheF, f.cacheG, f.cacheOK = math.Inf(1), make([]float64, len(x)), true
		return f.cacheF, nil
	}
	loss, g, err := f.lossGrad(v)
	if errors.Is(err, graph.ErrPanelBehind) {
		// A step that turns a panel away from the sample: no model
		// there either.
		loss, g, err = math.NaN(), make([]float64, len(x)), nil
	}
	if err != nil {
		return math.NaN(), err
	}
	if math.IsNaN(loss) {
		// An impossible model (e.g. negative expected counts): the line
		// search backs off from +Inf (cached too, so a second evaluation
		// at x gives the same).
		loss = math.Inf(1)
	}
	f.cacheX = append(f.cacheX[:0], x...)
	f.cacheF = loss
	f.cacheG = make([]float64, len(x))
	for j, t := range f.trans {
		_, d := t.value(x[j])
		f.cacheG[j] = g[j] * d
	}
	f.cacheOK = true
	return loss, nil
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// chooseSteps sets each variable's typical step: the given one, or the
// expected standard error 1/sqrt(F_jj) at the start.
func (f *fitter) chooseSteps(values []float64) error {
	fisher, err := f.fisher(values)
	if err != nil {
		return err
	}
	for j, name := range f.names {
		step, ok := f.s.Steps[name]
		if !ok || !(step > 0) {
			step = 1 / math.Sqrt(fisher[j][j])
		}
		if !(step > 0) || math.IsInf(step, 0) {
			// The start does not constrain it; a small relative step.
			step = 1e-3 * math.Max(math.Abs(f.starts[j]), 1)
		}
		// Keep the step well inside the bounds so the map is gentle.
		lower, upper := f.mapBounds(j)
		room := math.Min(f.starts[j]-lower, upper-f.starts[j])
		step = math.Min(step, 0.5*room)
		f.trans = append(f.trans, newTransform(f.starts[j], step, lower, upper))
	}
	f.cacheOK = false
	return nil
}

// recentre moves the normalised variables' origin to values, keeping each
// variable's step.
func (f *fitter) recentre(values []float64) {
	for j, t := range f.trans {
		lower, upper := f.mapBounds(j)
		step := t.step
		if room := math.Min(values[j]-lower, upper-values[j]); step > 0.5*room {
			step = 0.5 * room
		}
		f.trans[j] = newTransform(values[j], step, lower, upper)
	}
	f.cacheOK = false
}

// normalised returns the normalised variables of values.
func (f *fitter) normalised(values []float64) []float64 {
	x := make([]float64, len(values))
	for j, t := range f.trans {
		x[j] = t.variable(values[j])
	}
	return x
}

// recorder logs major iterations.
type recorder struct {
	f    *fitter
	full func(x []float64) []float64 // a stage's variables -> all normalised variables
}

func (r *recorder) Init() error { return nil }

func (r *recorder) Record(loc *optimize.Location, op optimize.Operation, st *optimize.Stats) error {
	// Minimize reports the start as its first major iteration (the
	// initial record carries no loss yet).
	if op != optimize.MajorIteration {
		return nil
	}
	f := r.f
	f.history = append(f.history, loc.F)
	if f.s.Progress != nil {
		gn := math.NaN()
		if loc.Gradient != nil {
			gn = floats.Norm(loc.Gradient, 2)
		}
		f.s.Progress(Iteration{Iter: len(f.history), Stage: f.stage, Loss: loc.F, GradNorm: gn,
			Elapsed: time.Since(f.start), Names: f.names, Values: f.values(r.full(loc.X))})
	}
	return nil
}

// checkStart refuses a start where the loss is infinite: a Poisson model
// that expects no counts where the data have some (no gradient can lead
// out of it); and a start whose model has no Bragg intensity at any fitted
// pixel while a parameter other than the background is refined (the data
// cannot determine it: a blank fit), with ErrNoSignal.
func (f *fitter) checkStart() error {
	loss, err := f.eval(make([]float64, len(f.trans)))
	if err != nil {
		return err
	}
	if name := f.blankStart(); name != "" {
		return noSignalf("the starting model has no Bragg intensity in the %d fitted pixels: %s cannot be refined", f.npix, name)
	}
	if !math.IsInf(loss, 1) {
		return nil
	}
	zero := 0
	for k := range f.models {
		mu := f.expected(k)
		for i, y := range f.data[k] {
			if y > 0 && !(mu[i] > 0) {
				zero++
			}
		}
	}
	return badf("the starting model expects no counts at %d pixels where the data have counts (the Poisson likelihood is 0): "+
		"refine a background from a positive start, or use the gaussian loss with a readout noise", zero)
}

// blankStart returns the first refined parameter other than a background
// when every frame's model image is 0 at every fitted pixel, else "".
func (f *fitter) blankStart() string {
	for _, m := range f.models {
		for _, v := range m.Image() {
			if v != 0 {
				return ""
			}
		}
	}
	for j, in := range f.infos {
		if in.Param != graph.PBackground {
			return f.names[j]
		}
	}
	return ""
}
