package refine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gobragg/graph"
)

// Structure factors as parameters (Problem.Names containing FName).
//
// Which reflections: every entry of the dense structure-factor table
// (graph.Experiment.F, read from -hkl) that starts above 0 and whose spot
// the fitted pixels measure at a signal-to-noise I/sigma(I) of at least
// MinFSignal at the start. I/sigma(I) comes from the Fisher information of
// ln F alone, sum over the fitted pixels of (d mu / d ln F)^2 / Var(pixel),
// which is 4 (I/sigma(I))^2 (I goes as F^2). A weaker reflection (a spot
// in the far tails of the lattice transform has d mu / d F tiny but not
// zero) stays fixed: the data hardly determine it, and its maximum
// likelihood estimate of I is often negative, which would hold F at its
// bound 0 (a refined F that ends there is reported AtZero, without a
// sigma, and does not fail the fit). Reflections that do not touch the fitted pixels stay fixed too;
// neither is reported.
//
// Parametrisation: F = exp(z), refined in the normalised variables of
// every parameter (one unit = its expected standard error at the start),
// so F stays positive.
//
// Restraint (Problem.FRestraint = s > 0): each refined F adds
// 0.5 ((ln F - ln m_b) / s)^2 to the loss, m_b the geometric mean of the
// starting F of its resolution bin: s is the spread of ln F allowed about
// it (about 0.5 within a resolution shell of a Wilson distribution). The
// bins hold equal counts of the refined reflections sorted by 1/d^2, about
// FBinSize per bin. The centres are fixed at the start, so the restraint
// also sets the overall level of F, which the data alone cannot tell from
// scale (they measure scale * F^2): F with scale or fluence is refused
// without it. In ln F, a common factor c of every F costs
// sum (ln c)^2 / s^2 and the level settles at the starting one (a
// restraint in F would pull it low by the spread of F within a bin).

// FName is the name that makes the structure factors parameters.
const FName = "F"

// MinFSignal is the smallest expected I/sigma(I) of a refined reflection
// over the fitted pixels at the start: at 3 its estimate of I lies three
// standard errors above 0 (F is drawn to its bound once in 700), and a
// reflection left fixed 30 % off its true F adds at most about
// (3 * 0.7)^2 = 4.4 to the chi-squared. Measured on TestRefineFRecovery's
// frame from random starts: at 1, a tenth of the 370 refined F of two fits
// went to 0 and one fit reached the iteration limit; at 5, the 130 F left
// fixed made the model misfit by 3.5 to 5 sigma; at 3, both converged
// with 200 F and the deviance within 1 sigma.
const MinFSignal = 3

// FBinSize is the number of refined reflections per resolution bin of
// the F restraint (fewer bins when there are fewer reflections).
const FBinSize = 20

// FittedF is one refined structure factor.
type FittedF struct {
	H, K, L int
	// InvD2 is 1/d^2 in 1/Angstrom^2 at the start.
	InvD2 float64
	Start float64
	Value float64
	// Sigma is the standard error from the inverse Fisher information (NaN:
	// undetermined, or AtZero).
	Sigma float64
	// AtZero is set when F ended at its bound 0 (within a hundredth of its
	// standard error): the data put its intensity at or below 0, and its
	// error is not a standard error.
	AtZero bool
}

// FSummary condenses the refined structure factors.
type FSummary struct {
	Count int
	// MedianRelSigma is the median of Sigma / Value over the determined ones.
	MedianRelSigma float64
	// CCStart is the Pearson correlation of the refined F with the start.
	CCStart      float64
	Undetermined int // sigma NaN, not at zero
	AtZero       int
}

// Summary returns the summary of the refined structure factors.
func (r *Result) FSummary() FSummary {
	s := FSummary{Count: len(r.F), MedianRelSigma: math.NaN(), CCStart: math.NaN()}
	var rel, a, b []float64
	for _, p := range r.F {
		a, b = append(a, p.Start), append(b, p.Value)
		if p.AtZero {
			s.AtZero++
			continue
		}
		if math.IsNaN(p.Sigma) {
			s.Undetermined++
			continue
		}
		rel = append(rel, p.Sigma/p.Value)
	}
	if len(rel) > 0 {
		sort.Float64s(rel)
		s.MedianRelSigma = rel[len(rel)/2]
		if len(rel)%2 == 0 {
			s.MedianRelSigma = (rel[len(rel)/2-1] + rel[len(rel)/2]) / 2
		}
	}
	if len(a) > 1 {
		s.CCStart = pearson(a, b)
	}
	return s
}

// pearson is the correlation coefficient of x and y (NaN when one is constant).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

// fState is what a fitter knows about refined structure factors.
type fState struct {
	base  []float64   // the starting dense table (every frame's)
	param map[int]int // dense index -> refined parameter index
	hkl   [][3]int    // per refined F (in parameter order from first)
	invD2 []float64
	first int // index of the first F parameter
	// centre of each F's restraint (nil: none) and its sigma in ln F.
	centre []float64
	sigma  float64
}

// fIndex returns the dense table index of parameter j, or -1.
func (f *fitter) fIndex(j int) int {
	if f.fs == nil || j < f.fs.first {
		return -1
	}
	return f.infos[j].fIndex
}

// addStructureFactors makes the structure factors that the fitted pixels
// measure parameters (see FName). The models must be compiled.
func (f *fitter) addStructureFactors() error {
	exp0 := f.models[0].Exp
	grid := exp0.Setup.Grid
	if grid.Count == 0 {
		return badf("%s: the run has no structure-factor table (every F is the default): give one to refine F", FName)
	}
	for k, m := range f.models {
		if m.Exp.Setup.Grid != grid || len(m.Exp.F) != len(exp0.F) {
			return badf("%s: frame %d has another structure-factor table than frame 1", FName, k+1)
		}
		for i, v := range m.Exp.F {
			if v != exp0.F[i] {
				return badf("%s: frame %d has other structure factors than frame 1", FName, k+1)
			}
		}
	}
	info, err := f.logFInformation()
	if err != nil {
		return err
	}
	var chosen []int
	for idx, v := range info {
		// I/sigma(I) = sqrt(information of ln F) / 2.
		if v >= 4*MinFSignal*MinFSignal && exp0.F[idx] > 0 {
			chosen = append(chosen, idx)
		}
	}
	if len(chosen) == 0 {
		return noSignalf("%s: no reflection with F > 0 is measured in the fitted pixels at I/sigma(I) >= %g at the start: no structure factor to refine", FName, float64(MinFSignal))
	}
	sort.Ints(chosen)
	view, err := exp0.BraggView(nil)
	if err != nil {
		return err
	}
	recip := view.ReciprocalAngstrom()
	fs := &fState{base: append([]float64(nil), exp0.F...), param: map[int]int{}, first: len(f.names)}
	for _, idx := range chosen {
		h, k, l, _ := grid.HKL(idx)
		fs.param[idx] = len(f.names)
		fs.hkl = append(fs.hkl, [3]int{h, k, l})
		var s [3]float64
		for c := 0; c < 3; c++ {
			s[c] = float64(h)*recip[0][c] + float64(k)*recip[1][c] + float64(l)*recip[2][c]
		}
		fs.invD2 = append(fs.invD2, s[0]*s[0]+s[1]*s[1]+s[2]*s[2])
		f.names = append(f.names, fmt.Sprintf("F(%d,%d,%d)", h, k, l))
		f.infos = append(f.infos, paramInfo{Option: graph.Option{Name: FName, Param: FName, Unit: "F", PerUnit: 1, Lower: 0, Upper: inf}, frame: -1, fIndex: idx})
		f.starts = append(f.starts, exp0.F[idx])
	}
	f.fs = fs
	if f.p.FRestraint > 0 {
		fs.centre, fs.sigma = binCentres(fs.invD2, f.starts[fs.first:]), f.p.FRestraint
	}
	return nil
}

// logFInformation returns, per dense table entry, the Fisher information
// of ln F alone over the fitted pixels at the start.
func (f *fitter) logFInformation() ([]float64, error) {
	if _, _, err := f.lossGrad(f.starts); err != nil {
		return nil, err
	}
	out := make([]float64, len(f.models[0].Exp.F))
	for k, m := range f.models {
		_, rows, err := m.JacobianF(nil)
		if err != nil {
			return nil, err
		}
		scale, _ := m.Exp.Params.Get(graph.PScale)
		w := f.pixelWeights(k)
		for i, r := range rows {
			for e, idx := range r.Index {
				d := scale * r.D[e] * m.Exp.F[idx]
				out[idx] += w[i] * d * d
			}
		}
	}
	return out, nil
}

// pixelWeights returns frame k's inverse pixel variances as the models
// were last evaluated: the likelihood's Weight, for least squares 1/s^2
// with s^2 the mean squared residual.
func (f *fitter) pixelWeights(k int) []float64 {
	mu := f.expected(k)
	w := make([]float64, len(mu))
	rss := 0.0
	like, lsq := f.likelihood(), f.lsq()
	for i, y := range f.data[k] {
		w[i] = like.Weight(mu[i])
		if lsq {
			rss += (y - mu[i]) * (y - mu[i])
		}
	}
	if lsq {
		for i := range w {
			w[i] = float64(len(w)) / rss
		}
	}
	return w
}

// binCentres returns each reflection's restraint centre, the geometric
// mean F of its resolution bin (equal counts in 1/d^2, about FBinSize each).
func binCentres(invD2, F []float64) []float64 {
	n := len(F)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return invD2[order[a]] < invD2[order[b]] })
	nb := max(1, int(math.Round(float64(n)/FBinSize)))
	centre := make([]float64, n)
	for b := 0; b < nb; b++ {
		lo, hi := b*n/nb, (b+1)*n/nb
		sum := 0.0
		for _, i := range order[lo:hi] {
			sum += math.Log(F[i])
		}
		for _, i := range order[lo:hi] {
			centre[i] = math.Exp(sum / float64(hi-lo))
		}
	}
	return centre
}

// setF writes the refined F of values into every model's table.
func (f *fitter) setF(v []float64) error {
	table := append([]float64(nil), f.fs.base...)
	for j := f.fs.first; j < len(v); j++ {
		table[f.infos[j].fIndex] = v[j]
	}
	for _, m := range f.models {
		if err := m.SetF(table); err != nil {
			return err
		}
	}
	return nil
}

// fRestraintLoss adds the F restraint's loss and gradient at v.
func (f *fitter) fRestraintLoss(v, g []float64) float64 {
	if f.fs == nil || f.fs.centre == nil {
		return 0
	}
	loss := 0.0
	s := f.fs.sigma
	for i, c := range f.fs.centre {
		j := f.fs.first + i
		d := math.Log(v[j]/c) / s
		loss += 0.5 * d * d
		g[j] += d / (s * v[j])
	}
	return loss
}

// fRestraintInformation adds the F restraint's Fisher information at
// values, 1/(s F)^2 for each F, to info.
func (f *fitter) fRestraintInformation(values []float64, info [][]float64) {
	if f.fs == nil || f.fs.centre == nil {
		return
	}
	for j := f.fs.first; j < len(values); j++ {
		sf := f.fs.sigma * values[j]
		info[j][j] += 1 / (sf * sf)
	}
}

// splitF moves the structure factors out of a result's parameter list
// into Result.F, keeping the correlation matrix and the undetermined list
// to the named parameters (an undetermined F has a NaN sigma).
func (f *fitter) splitF(out *Result) {
	if f.fs == nil {
		return
	}
	first := f.fs.first
	for i, p := range out.Parameters[first:] {
		h := f.fs.hkl[i]
		fit := FittedF{H: h[0], K: h[1], L: h[2], InvD2: f.fs.invD2[i], Start: p.Start, Value: p.Value, Sigma: p.Sigma}
		if f.atZero(first+i, p) {
			fit.AtZero, fit.Sigma = true, math.NaN()
		}
		out.F = append(out.F, fit)
	}
	out.keepFirst(first, func(u string) bool { return strings.HasPrefix(u, FName+"(") && !strings.Contains(u, "+") })
}

// nearBound is how near its bound a refined parameter j at p counts as
// held there: within a hundredth of its standard error (or, without one,
// of its step), where the map onto the bound's side has flattened.
func (f *fitter) nearBound(j int, p Fitted) float64 {
	if !math.IsNaN(p.Sigma) {
		return 1e-2 * p.Sigma
	}
	return 1e-2 * f.trans[j].step
}

// atZero reports whether parameter j ended at its bound 0.
func (f *fitter) atZero(j int, p Fitted) bool { return p.Value < f.nearBound(j, p) }

// keepFirst trims a result's parameters and correlation matrix to the first
// n, and drops the undetermined entries that name only a trimmed one.
func (out *Result) keepFirst(n int, trimmed func(undetermined string) bool) {
	out.Parameters = out.Parameters[:n]
	out.Correlation = out.Correlation[:n]
	for i := range out.Correlation {
		out.Correlation[i] = out.Correlation[i][:n]
	}
	var keep []string
	for _, u := range out.Undetermined {
		if !trimmed(u) {
			keep = append(keep, u)
		}
	}
	out.Undetermined = keep
}
