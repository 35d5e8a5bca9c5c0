package refine

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"gobragg/graph"
)

// fisher returns the Fisher information of the refined parameters (option
// units) at values: J^T W J over the fitted pixels, with J the exact
// Jacobian d mu / d value and W the likelihood's Weight (1/mu, 1/(mu +
// readout^2), or for least squares 1/s^2 with s^2 = RSS/(n - p)), plus
// 1/sigma^2 for every restraint. A pixel's row of J is sparse in the
// structure factors (one or a few per pixel), so only its non-zero entries
// are multiplied out. The models are left evaluated at values.
func (f *fitter) fisher(values []float64) ([][]float64, error) {
	if _, _, err := f.lossGrad(values); err != nil {
		return nil, err
	}
	return f.fisherEvaluated(values)
}

// fisherEvaluated is fisher with the models already evaluated at values
// (lossGrad), for a caller that needs that loss and gradient too.
func (f *fitter) fisherEvaluated(values []float64) ([][]float64, error) {
	n := len(values)
	info := make([][]float64, n)
	for i := range info {
		info[i] = make([]float64, n)
	}
	var cols, colOf []int // graph parameter columns and their refined index
	for j, in := range f.infos {
		if in.Param != graph.PScale && in.Param != graph.PBackground && f.fIndex(j) < 0 {
			colOf = append(colOf, j)
		}
	}
	like, lsq := f.likelihood(), f.lsq()
	rss, count := 0.0, 0
	var idx []int // the non-zero entries of a pixel's row
	var val []float64
	for k, m := range f.models {
		cols = cols[:0]
		for _, j := range colOf {
			cols = append(cols, m.Exp.Params.Index(f.infos[j].Param))
		}
		var jac []float64
		var fRows []graph.FRow
		var err error
		if f.fs != nil {
			jac, fRows, err = m.JacobianF(cols)
		} else {
			jac, err = m.Jacobian(cols)
		}
		if err != nil {
			return nil, err
		}
		img := m.Image()
		scale, _ := m.Exp.Params.Get(graph.PScale)
		mus := f.expected(k)
		nc := len(cols)
		per := make([]float64, n) // d graph value / d option value
		for _, j := range colOf {
			_, per[j] = f.infos[j].toGraph(m.Exp, values[j])
		}
		for i, y := range f.data[k] {
			mu := mus[i]
			w := like.Weight(mu)
			if w == 0 {
				continue // no information (a Poisson mean <= 0)
			}
			if lsq {
				rss += (y - mu) * (y - mu)
			}
			count++
			idx, val = idx[:0], val[:0]
			add := func(j int, d float64) {
				if d != 0 {
					idx, val = append(idx, j), append(val, d)
				}
			}
			for c, j := range colOf {
				add(j, scale*jac[i*nc+c]*per[j])
			}
			for j, in := range f.infos {
				switch {
				case in.Param == graph.PScale:
					add(j, img[i])
				case in.Param == graph.PBackground && f.boxIndex(j) < 0 && (in.frame < 0 || in.frame == k):
					add(j, 1)
				}
			}
			if f.bs != nil {
				add(f.bs.first+int(f.bs.of[k][i]), 1)
			}
			if fRows != nil {
				r := fRows[i]
				for e, t := range r.Index {
					if j, ok := f.fs.param[t]; ok {
						add(j, scale*r.D[e])
					}
				}
			}
			for a, ja := range idx {
				wa := w * val[a]
				for b, jb := range idx {
					info[ja][jb] += wa * val[b]
				}
			}
		}
	}
	if lsq {
		s2 := math.NaN()
		if count > n {
			s2 = rss / float64(count-n)
		}
		for a := range info {
			for b := range info[a] {
				info[a][b] /= s2
			}
		}
	}
	for _, r := range f.rest {
		info[r.j][r.j] += 1 / (r.sigma * r.sigma)
	}
	f.fRestraintInformation(values, info)
	return info, nil
}

// illConditioned is the smallest eigenvalue of the correlation-scaled
// Fisher information, relative to its largest, that counts as
// determined: below it a combination of parameters changes the model by
// less than float64 round-off can resolve.
const illConditioned = 1e-10

// covariance inverts the Fisher information. Parameters with no
// information, or taking part in a combination the information does not
// determine, get NaN variances and are named in the second result.
func covariance(info [][]float64, names []string) ([][]float64, []string) {
	n := len(info)
	cov := make([][]float64, n)
	for i := range cov {
		cov[i] = make([]float64, n)
		for j := range cov[i] {
			cov[i][j] = math.NaN()
		}
	}
	var undetermined []string
	var keep []int
	for i := 0; i < n; i++ {
		if info[i][i] > 0 && !math.IsInf(info[i][i], 0) {
			keep = append(keep, i)
		} else {
			undetermined = append(undetermined, names[i])
		}
	}
	if len(keep) == 0 {
		return cov, undetermined
	}
	k := len(keep)
	d := make([]float64, k)
	sc := mat.NewSymDense(k, nil)
	for a, i := range keep {
		d[a] = 1 / math.Sqrt(info[i][i])
	}
	for a, i := range keep {
		for b, j := range keep {
			sc.SetSym(a, b, info[i][j]*d[a]*d[b])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sc, true) {
		for _, i := range keep {
			undetermined = append(undetermined, names[i])
		}
		return cov, undetermined
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	top := vals[len(vals)-1]
	bad := map[int]bool{}
	var combos []string
	for e, lam := range vals {
		if lam > illConditioned*top {
			continue
		}
		// Name the parameters that carry this null direction.
		var parts []string
		for a := 0; a < k; a++ {
			if math.Abs(vecs.At(a, e)) > 0.1 {
				bad[a] = true
				parts = append(parts, names[keep[a]])
			}
		}
		sort.Strings(parts)
		combos = append(combos, strings.Join(parts, "+"))
	}
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			if bad[a] || bad[b] {
				continue
			}
			s := 0.0
			for e, lam := range vals {
				if lam > illConditioned*top {
					s += vecs.At(a, e) * vecs.At(b, e) / lam
				}
			}
			cov[keep[a]][keep[b]] = s * d[a] * d[b]
		}
	}
	undetermined = append(undetermined, combos...)
	return cov, undetermined
}

// modelCounts returns each frame's expected counts and their background
// at values on the fitted pixels (NaN elsewhere).
func (f *fitter) modelCounts(values []float64) (model, background [][]float64) {
	for k, m := range f.models {
		n := m.Exp.Setup.NPix()
		model = append(model, f.onDetector(k, f.expected(k), n))
		background = append(background, f.onDetector(k, f.background(k), n))
	}
	return model, background
}

// onDetector spreads values on frame k's fitted pixels over its n
// detector pixels, NaN where not fitted.
func (f *fitter) onDetector(k int, v []float64, n int) []float64 {
	full := make([]float64, n)
	for i := range full {
		full[i] = math.NaN()
	}
	for i, d := range f.lists[k] {
		full[d] = v[i]
	}
	return full
}

// String formats a result as a table (option units). A fit that did not
// converge shows no standard errors.
func (r *Result) String() string {
	var b strings.Builder
	// The name column widens for long names (group1_rot_normal).
	w := 14
	for _, p := range r.Parameters {
		w = max(w, len(p.Name))
	}
	if len(r.Parameters) > 0 {
		fmt.Fprintf(&b, "%-*s %14s %14s %12s  %s\n", w, "parameter", "start", "refined", "sigma", "unit")
	}
	for _, p := range r.Parameters {
		sigma := fmt.Sprintf("%12.3g", p.Sigma)
		if p.AtZero {
			sigma = fmt.Sprintf("%12s", "at 0")
		} else if !r.Converged {
			sigma = fmt.Sprintf("%12s", "-")
		}
		fmt.Fprintf(&b, "%-*s %14.6g %14.8g %s  %s\n", w, p.Name, p.Start, p.Value, sigma, p.Unit)
	}
	if len(r.F) > 0 {
		fs := r.FSummary()
		rel := fmt.Sprintf("%.3g", fs.MedianRelSigma)
		if !r.Converged {
			rel = "-"
		}
		fmt.Fprintf(&b, "structure factors: %d refined, median sigma/F %s, CC to the start %.4f, %d at 0, %d undetermined\n",
			fs.Count, rel, fs.CCStart, fs.AtZero, fs.Undetermined)
	}
	if len(r.Shoeboxes) > 0 {
		s := r.BackgroundSummary()
		fmt.Fprintf(&b, "shoebox backgrounds: %d refined, median %.4g counts per pixel (%.4g to %.4g), %d at 0\n",
			s.Count, s.Median, s.Min, s.Max, s.AtZero)
	}
	fmt.Fprintf(&b, "loss %.10g after %d iterations, %d evaluations, %d pixels, %s (%s)\n",
		r.Loss, r.Iterations, r.Evaluations, r.Pixels, r.Wall.Round(1e6), r.Status)
	for _, st := range r.Stages {
		fmt.Fprintf(&b, "  stage %-8s %3d iterations  %s\n", st.Stage, st.Iterations, st.Status)
	}
	if r.Fit.Statistic != "none" {
		fmt.Fprintf(&b, "goodness of fit: %s %.4g per pixel, expected %.4g (%.1f sigma, %d pixels)\n",
			r.Fit.Statistic, r.Fit.PerPixel(), r.Fit.ExpectedPerPixel(), r.Fit.Z, r.Fit.Pixels)
	}
	if len(r.BoxFits) > 0 && r.Fit.Statistic != "none" {
		s := r.BoxFitSummary(r.FitSigmas, boxFitWorst)
		fmt.Fprintf(&b, "shoeboxes: %d of %d fit within %.3g sigma (%d of %d pixels: %.4g per pixel, expected %.4g); worst",
			s.Fitting, s.Boxes, s.Sigmas, s.FittingPixels, s.Pixels, s.PerPixel, s.ExpectedPerPx)
		for i, w := range s.Worst {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(&b, "%s %d %d %d (%.0f sigma)", sep, w.HKL[0], w.HKL[1], w.HKL[2], w.Fit.Z)
		}
		b.WriteString("\n")
	}
	if r.Spots != nil {
		fmt.Fprintf(&b, "spots: %d found on the data, %d indexed by the model, centroid RMSD %.3g px\n",
			r.Spots.Found, r.Spots.Matched, r.Spots.RMSD)
	}
	if len(r.Undetermined) > 0 {
		fmt.Fprintf(&b, "undetermined: %s\n", strings.Join(r.Undetermined, ", "))
	}
	if r.Converged {
		fmt.Fprintf(&b, "%s\n", r.Reason)
	} else {
		fmt.Fprintf(&b, "NOT CONVERGED: %s; the sigmas are not standard errors and are not shown\n", r.Reason)
	}
	return b.String()
}
