package refine

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"gobragg/dual"
	"gobragg/graph"
	"gobragg/spots"
)

// SpotReport is what the spot stage did, or the spot check of a result.
type SpotReport struct {
	// Found is the number of spots found on the data (all frames);
	// Matched how many of them index to a reflection that the model
	// predicts on the detector.
	Found, Matched int
	// RMSDStart and RMSD are the root mean square distances in pixels
	// between observed and predicted centroids of the matched spots,
	// before and after the stage.
	RMSDStart, RMSD float64
	Rounds          int
}

// spotMatch is an observed spot with the reflection it indexes to.
type spotMatch struct {
	frame int
	spot  spots.Spot
	hkl   [3]int
	dA    float64 // resolution, Angstrom
}

// indexTolerance is how far from integers (in each index) a spot's
// fractional Miller indices may lie to be matched: shape-transform
// fringes of a finite crystal lie near half-integers, and a start off by
// an indexing solution's errors moves low-resolution spots by less.
const indexTolerance = 0.25

// minSpots is the fewest matched spots a round fits.
const minSpots = 3

// resolutionRamp is the fraction of the matched spots, lowest resolution
// first, that round r fits: a start's errors move a reflection's
// fractional indices in proportion to its resolution, so the first
// rounds fit the low-resolution spots, whose indices are surely right,
// and later rounds add the rest as the model improves (a wrongly indexed
// set of high-resolution spots can pull the cell and the distance together
// far along the direction that centroids cannot tell apart).
func resolutionRamp(r int) float64 { return math.Min(1, 0.5+0.25*float64(r)) }

// lowResolution returns the fraction frac of ms with the largest
// d-spacings (at least minSpots, when there are so many).
func lowResolution(ms []spotMatch, frac float64) []spotMatch {
	if frac >= 1 {
		return ms
	}
	out := append([]spotMatch(nil), ms...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].dA > out[b].dA })
	n := max(int(math.Ceil(frac*float64(len(out)))), min(minSpots, len(out)))
	out = out[:n]
	// Back to the order of ms, so that a round's set is keyed the same way.
	sort.SliceStable(out, func(a, b int) bool { return matchLess(out[a], out[b]) })
	return out
}

// matchLess orders matches by frame and reflection.
func matchLess(a, b spotMatch) bool {
	if a.frame != b.frame {
		return a.frame < b.frame
	}
	for i := range a.hkl {
		if a.hkl[i] != b.hkl[i] {
			return a.hkl[i] < b.hkl[i]
		}
	}
	return false
}

// spotRounds bounds the rounds of indexing and fitting.
const spotRounds = 8

// observed returns the spots found on each frame's whole data, whatever
// the selection of fitted pixels (masked, ROI and missing pixels left
// out, as hasData says), found once.
func (f *fitter) observed() [][]spots.Spot {
	if f.found != nil {
		return f.found
	}
	f.found = make([][]spots.Spot, len(f.p.Frames))
	for k, fr := range f.p.Frames {
		f.found[k] = FindSpots(fr, spots.Finder{})
	}
	return f.found
}

// FindSpots returns the spots found on a frame's whole data with the
// finder; masked, ROI and missing pixels are left out, as hasData says.
func FindSpots(fr Frame, finder spots.Finder) []spots.Spot {
	s := fr.Exp.Setup
	counts := make([]float64, len(fr.Counts))
	for d, y := range fr.Counts {
		counts[d] = math.NaN()
		if hasData(fr, d) && !math.IsInf(y, 0) {
			counts[d] = y
		}
	}
	return spots.Find(counts, s.FPixels, s.SPixels, finder)
}

// spotReport is the spots found on the data and how well the current
// models index and place them.
func (f *fitter) spotReport() (SpotReport, error) {
	if f.multiPanel() {
		return SpotReport{}, errMultiPanelSpots
	}
	ms, err := f.match(indexTolerance)
	if err != nil {
		return SpotReport{}, err
	}
	return SpotReport{Found: f.foundCount(), Matched: len(ms), RMSD: f.rmsd(ms)}, nil
}

// errMultiPanelSpots: the spot finder and the centroid fit read one
// panel's grid, so a multi-panel frame has no spot report.
var errMultiPanelSpots = errors.New("the spots of a multi-panel detector are not found")

// multiPanel reports whether a frame's detector has several panels,
// whose spots neither the spot stage nor the report look at (a spot
// stage leaves the values as they are).
func (f *fitter) multiPanel() bool {
	for _, fr := range f.p.Frames {
		if fr.Exp.Setup.Panels != nil {
			return true
		}
	}
	return false
}

// foundCount is the number of spots found on all frames.
func (f *fitter) foundCount() int {
	n := 0
	for _, l := range f.observed() {
		n += len(l)
	}
	return n
}

// views returns every frame's Bragg view at the models' current values,
// seeded by the graph parameters of the indices in seeds.
func (f *fitter) views(seeds []int) ([]graph.BraggView, error) {
	var names []string
	for _, j := range seeds {
		names = append(names, f.infos[j].Param)
	}
	out := make([]graph.BraggView, len(f.models))
	for k, m := range f.models {
		v, err := m.Exp.BraggView(names)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// match indexes every observed spot under the current models and keeps
// those within tolerance of a reflection that is predicted on the
// detector (never the origin), one spot per reflection and frame: the
// brightest, since a finite crystal's fringes around a reflection are far
// weaker than its Bragg spot and may index to it too.
func (f *fitter) match(tol float64) ([]spotMatch, error) {
	views, err := f.views(nil)
	if err != nil {
		return nil, err
	}
	var out []spotMatch
	taken := map[[4]int]bool{}
	for k, list := range f.observed() { // each list brightest first
		s := f.models[k].Exp.Setup
		for _, sp := range list {
			h := spots.Index(views[k], sp.Fast, sp.Slow)
			var hkl [3]int
			ok := true
			for i := range h {
				hkl[i] = int(math.Round(h[i]))
				ok = ok && math.Abs(h[i]-float64(hkl[i])) <= tol
			}
			if !ok || hkl == [3]int{} {
				continue
			}
			pr, on := spots.Predict(views[k], hkl)
			if !on || pr.Fast.V < 0 || pr.Slow.V < 0 || pr.Fast.V > float64(s.FPixels) || pr.Slow.V > float64(s.SPixels) {
				continue
			}
			key := [4]int{k, hkl[0], hkl[1], hkl[2]}
			if taken[key] {
				continue // a fainter spot of the same reflection
			}
			taken[key] = true
			out = append(out, spotMatch{frame: k, spot: sp, hkl: hkl, dA: pr.ResolutionA})
		}
	}
	return out, nil
}

// spotResiduals returns the weighted residuals of the matches (three per
// spot: fast, slow in pixels, excitation) under the models, which hold
// values (option units), and, with seeds, their Jacobian with respect to
// those values of the refined parameters at the indices in seeds (rows
// of len(seeds)).
func (f *fitter) spotResiduals(ms []spotMatch, values []float64, seeds []int) ([]float64, [][]float64, error) {
	views, err := f.views(seeds)
	if err != nil {
		return nil, nil, err
	}
	// d graph value / d option value, per frame (osc depends on its steps).
	perUnit := make([][]float64, len(f.models))
	for k, m := range f.models {
		perUnit[k] = make([]float64, len(seeds))
		for a, j := range seeds {
			_, perUnit[k][a] = f.infos[j].toGraph(m.Exp, values[j])
		}
	}
	res := make([]float64, 0, 3*len(ms))
	var jac [][]float64
	for _, m := range ms {
		pr, ok := spots.Predict(views[m.frame], m.hkl)
		if !ok {
			// The reflection left the sphere's reach: no pull either way.
			res = append(res, 0, 0, 0)
			if seeds != nil {
				jac = append(jac, make([]float64, len(seeds)), make([]float64, len(seeds)), make([]float64, len(seeds)))
			}
			continue
		}
		// A centroid is as good as its photons allow, and no better than
		// a third of a pixel, the scale of partiality and fringe offsets.
		sf := math.Hypot(m.spot.SigmaFast, 0.3)
		ss := math.Hypot(m.spot.SigmaSlow, 0.3)
		se := f.excitationWidth(m.frame, pr.ResolutionA)
		for _, r := range []struct {
			v     dual.Num
			obs   float64
			sigma float64
		}{{pr.Fast, m.spot.Fast, sf}, {pr.Slow, m.spot.Slow, ss}, {pr.Excitation, 0, se}} {
			res = append(res, (r.v.V-r.obs)/r.sigma)
			if seeds != nil {
				row := make([]float64, len(seeds))
				for a := range seeds {
					row[a] = r.v.Grad(a) * perUnit[m.frame][a] / r.sigma
				}
				jac = append(jac, row)
			}
		}
	}
	return res, jac, nil
}

// excitationWidth is the spread of excitation errors (1/Angstrom) of the
// spots a frame shows at resolution dA: the width of the lattice peak
// (1 / (N cell)), widened by the mosaic spread and half the oscillation.
func (f *fitter) excitationWidth(k int, dA float64) float64 {
	e := f.models[k].Exp
	n := 1.0
	for _, p := range []string{graph.PNa, graph.PNb, graph.PNc} {
		if v, ok := e.Params.Get(p); ok {
			n *= v
		}
	}
	n = math.Max(math.Cbrt(n), 1)
	cell := 1.0
	for _, p := range []string{graph.PCellA, graph.PCellB, graph.PCellC} {
		if v, ok := e.Params.Get(p); ok {
			cell *= v
		}
	}
	cellA := math.Cbrt(cell)
	if cellA <= 1 {
		cellA = 100
	}
	angle := 0.0
	if v, ok := e.Params.Get(graph.PMosaic); ok {
		angle += v
	}
	if v, ok := e.Params.Get(graph.PPhiStep); ok {
		angle += 0.5 * math.Abs(v) * float64(max(e.PhiSteps, 1))
	}
	return math.Hypot(1/(n*cellA), angle/dA)
}

// spotStage fits the active parameters to the spot centroids from values
// (option units) and returns the new values. Each round indexes the spots
// under the current model and fits them by Gauss-Newton (gonum's Newton
// with J^T J as the Hessian), until the matched set stops changing. A
// stage that cannot help (too few spots) returns values unchanged.
func (f *fitter) spotStage(values []float64, active []int) ([]float64, SpotReport, error) {
	if f.multiPanel() {
		return values, SpotReport{}, nil
	}
	rep := SpotReport{Found: f.foundCount()}
	if err := f.setValues(values); err != nil {
		return nil, rep, err
	}
	for _, m := range f.models {
		if m.Exp.Setup.Curved {
			return values, rep, nil
		}
	}
	cur := append([]float64(nil), values...)
	var prevKey string
	for round := 0; round < spotRounds; round++ {
		all, err := f.match(indexTolerance)
		if err != nil {
			return nil, rep, err
		}
		if round == 0 {
			rep.RMSDStart = f.rmsd(all)
		}
		rep.Matched = len(all)
		ms := lowResolution(all, resolutionRamp(round))
		// Three spots give six positions: the truncated SVD follows what
		// they determine, and more spots index in the next round.
		if len(ms) < minSpots {
			break
		}
		key := matchKey(ms)
		if key == prevKey && len(ms) == len(all) {
			break
		}
		prevKey = key
		rep.Rounds++
		next, err := f.fitSpots(cur, active, ms)
		if err != nil {
			return nil, rep, err
		}
		cur = next
		if err := f.setValues(cur); err != nil {
			return nil, rep, err
		}
	}
	end, err := f.spotReport()
	if err != nil {
		return nil, rep, err
	}
	end.RMSDStart, end.Rounds = rep.RMSDStart, rep.Rounds
	return cur, end, nil
}

// spotSingularCut is the smallest singular value of the spot Jacobian,
// relative to the largest, that a Gauss-Newton step follows: at low
// resolution the centroids barely tell the cell's scale from the distance,
// and a step along such a direction would follow the noise; the pixel
// stages, which see the Ewald sphere, settle it.
const spotSingularCut = 1e-2

// spotSteps bounds the Gauss-Newton iterations of one round.
const spotSteps = 30

// fitSpots minimises the spot residuals' sum of squares (with the
// restraints) over the active parameters, in the fitter's normalised
// variables around values, by Gauss-Newton with a truncated SVD and a
// backtracking step.
func (f *fitter) fitSpots(values []float64, active []int, ms []spotMatch) ([]float64, error) {
	base := f.normalised(values)
	n := len(active)
	// point returns all normalised variables with the active ones at x.
	point := func(x []float64) []float64 {
		y := append([]float64(nil), base...)
		for a, j := range active {
			y[j] = x[a]
		}
		return y
	}
	// residuals returns the residuals at x and, with jac, their Jacobian
	// with respect to x; nil residuals where the model cannot be built.
	residuals := func(x []float64, jac bool) ([]float64, *mat.Dense, error) {
		y := point(x)
		v := f.values(y)
		if !allFinite(v) {
			return nil, nil, nil
		}
		if err := f.setValues(v); err != nil {
			return nil, nil, nil // outside what the model accepts
		}
		var seeds []int
		if jac {
			seeds = active
		}
		r, rows, err := f.spotResiduals(ms, v, seeds)
		if err != nil {
			return nil, nil, err
		}
		dvdx := make([]float64, n) // d option value / d normalised variable
		for a, j := range active {
			_, dvdx[a] = f.trans[j].value(y[j])
		}
		spotRows := len(r)
		var restRows []restraint // one per row, j the active index
		for _, rs := range f.rest {
			for a, j := range active {
				if j == rs.j {
					r = append(r, (v[j]-rs.center)/rs.sigma)
					restRows = append(restRows, restraint{j: a, sigma: rs.sigma})
				}
			}
		}
		if !jac {
			return r, nil, nil
		}
		m := mat.NewDense(len(r), n, nil)
		for i := 0; i < spotRows; i++ {
			for a := 0; a < n; a++ {
				m.Set(i, a, rows[i][a]*dvdx[a])
			}
		}
		for k, rs := range restRows {
			m.Set(spotRows+k, rs.j, dvdx[rs.j]/rs.sigma)
		}
		return r, m, nil
	}
	sumSq := func(r []float64) float64 {
		if r == nil {
			return math.Inf(1)
		}
		return floats.Dot(r, r)
	}
	x := make([]float64, n)
	for a, j := range active {
		x[a] = base[j]
	}
	r, jac, err := residuals(x, true)
	if err != nil {
		return nil, err
	}
	chi2 := sumSq(r)
	if r == nil || len(r) < n {
		return values, nil
	}
	for it := 0; it < spotSteps; it++ {
		var svd mat.SVD
		if !svd.Factorize(jac, mat.SVDThin) {
			break
		}
		sv := svd.Values(nil)
		var u, vt mat.Dense
		svd.UTo(&u)
		svd.VTo(&vt)
		step := make([]float64, n)
		for i, sigma := range sv {
			if !(sigma > spotSingularCut*sv[0]) {
				continue
			}
			ur := 0.0
			for k := range r {
				ur += u.At(k, i) * r[k]
			}
			for a := 0; a < n; a++ {
				step[a] -= ur / sigma * vt.At(a, i)
			}
		}
		improved := false
		for t := 1.0; t > 1e-3; t /= 2 {
			try := make([]float64, n)
			for a := range try {
				try[a] = x[a] + t*step[a]
			}
			rt, _, err := residuals(try, false)
			if err != nil {
				return nil, err
			}
			if c := sumSq(rt); c < chi2 {
				improved = chi2-c > 1e-9*chi2
				x, chi2 = try, c
				break
			}
		}
		if !improved {
			break
		}
		if r, jac, err = residuals(x, true); err != nil {
			return nil, err
		}
	}
	return f.values(point(x)), nil
}

// rmsd is the root mean square centroid distance in pixels of matches
// under the current models (NaN without matches).
func (f *fitter) rmsd(ms []spotMatch) float64 {
	views, err := f.views(nil)
	if err != nil || len(ms) == 0 {
		return math.NaN()
	}
	sum, n := 0.0, 0
	for _, m := range ms {
		pr, ok := spots.Predict(views[m.frame], m.hkl)
		if !ok {
			continue
		}
		df, ds := pr.Fast.V-m.spot.Fast, pr.Slow.V-m.spot.Slow
		sum += df*df + ds*ds
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(sum / float64(n))
}

// matchKey identifies a set of matches.
func matchKey(ms []spotMatch) string {
	b := make([]byte, 0, 16*len(ms))
	for _, m := range ms {
		b = fmt.Appendf(b, "%d:%d,%d,%d;", m.frame, m.hkl[0], m.hkl[1], m.hkl[2])
	}
	return string(b)
}
