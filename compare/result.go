package compare

import (
	"fmt"
	"math"

	"gobragg/raster"
)

// Options select what Run measures and the pass thresholds.
type Options struct {
	ROI         *raster.ROI // nil: the whole image
	Peaks       int         // number of brightest peaks per image (0: none)
	CorrMin     float64     // pass needs Correlation >= CorrMin
	SumRatioMin float64     // and SumRatioMin <= SumRatio <= SumRatioMax
	SumRatioMax float64
}

// DefaultOptions are the thresholds of "gobragg compare" without options.
var DefaultOptions = Options{Peaks: 10, CorrMin: 0.9995, SumRatioMin: 0.99, SumRatioMax: 1.01}

// Result is the outcome of Run.
type Result struct {
	A, B    *Image
	Opt     Options
	Stats   *Stats
	PeaksA  []Peak
	PeaksB  []Peak
	Matches []Match // one per peak of A
	Pass    bool
}

// Run compares a with b: figures, peaks and the pass decision.
func Run(a, b *Image, opt Options) (*Result, error) {
	roi := raster.Full(a.Fast, a.Slow)
	if opt.ROI != nil {
		roi = *opt.ROI
	}
	st, err := Compute(a, b, roi)
	if err != nil {
		return nil, err
	}
	r := &Result{A: a, B: b, Opt: opt, Stats: st}
	r.PeaksA = FindPeaks(a, roi, opt.Peaks)
	r.PeaksB = FindPeaks(b, roi, opt.Peaks)
	r.Matches = MatchPeaks(r.PeaksA, r.PeaksB)
	r.Pass = st.Correlation >= opt.CorrMin && st.SumRatio >= opt.SumRatioMin && st.SumRatio <= opt.SumRatioMax
	return r, nil
}

// PeakDistances returns how many peaks of A were matched and the mean and
// largest distance of the matched pairs (NaN when none matched).
func (r *Result) PeakDistances() (matched int, mean, maxDist float64) {
	sum := 0.0
	maxDist = math.NaN()
	for _, m := range r.Matches {
		if m.B < 0 {
			continue
		}
		matched++
		sum += m.Distance
		if matched == 1 || m.Distance > maxDist {
			maxDist = m.Distance
		}
	}
	if matched == 0 {
		return 0, math.NaN(), math.NaN()
	}
	return matched, sum / float64(matched), maxDist
}

// Verdict is a one-line summary of the pass decision.
func (r *Result) Verdict() string {
	word := "PASS"
	if !r.Pass {
		word = "FAIL"
	}
	return fmt.Sprintf("%s: correlation %.9g (need >= %g), sum ratio A/B %.9g (need %g..%g)",
		word, r.Stats.Correlation, r.Opt.CorrMin, r.Stats.SumRatio, r.Opt.SumRatioMin, r.Opt.SumRatioMax)
}
