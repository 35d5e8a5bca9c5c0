package compare

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// WriteText writes the figures of r for people to w.
func (r *Result) WriteText(w io.Writer) error {
	var sb strings.Builder
	s := r.Stats
	fmt.Fprintf(&sb, "compare: A = %s (%s, %dx%d fast x slow)\n", r.A.Name, r.A.Format, r.A.Fast, r.A.Slow)
	fmt.Fprintf(&sb, "         B = %s (%s, %dx%d fast x slow)\n", r.B.Name, r.B.Format, r.B.Fast, r.B.Slow)
	fmt.Fprintf(&sb, "roi: %s (%d pixels)\n", s.ROI, s.Pixels)
	fmt.Fprintf(&sb, "correlation       %.12g\n", s.Correlation)
	fmt.Fprintf(&sb, "rmse              %.6g\n", s.RMSE)
	fmt.Fprintf(&sb, "max |A-B|         %.6g at slow %d, fast %d (A %.9g, B %.9g)\n", s.MaxAbsDiff, s.MaxAbsDiffSlow, s.MaxAbsDiffFast,
		r.A.At(s.MaxAbsDiffFast, s.MaxAbsDiffSlow), r.B.At(s.MaxAbsDiffFast, s.MaxAbsDiffSlow))
	fmt.Fprintf(&sb, "max |A-B|/max|B|  %.6g (max |B| %.9g)\n", s.MaxRelDiff, s.MaxAbsB)
	fmt.Fprintf(&sb, "sum A             %.12g\n", s.SumA)
	fmt.Fprintf(&sb, "sum B             %.12g\n", s.SumB)
	fmt.Fprintf(&sb, "sum ratio A/B     %.12g\n", s.SumRatio)
	if s.NonFiniteA+s.NonFiniteB > 0 {
		fmt.Fprintf(&sb, "non-finite        A %d, B %d pixels\n", s.NonFiniteA, s.NonFiniteB)
	}
	if r.Opt.Peaks > 0 {
		matched, mean, mx := r.PeakDistances()
		fmt.Fprintf(&sb, "peaks: %d brightest of each (suppression radius %d px, match radius %g px): A %d, B %d, matched %d",
			r.Opt.Peaks, PeakRadius, MatchRadius, len(r.PeaksA), len(r.PeaksB), matched)
		if matched > 0 {
			fmt.Fprintf(&sb, ", distance mean %.3g max %.3g px", mean, mx)
		}
		sb.WriteByte('\n')
		fmt.Fprintf(&sb, "  %3s  %6s %6s %14s   %6s %6s %14s %8s\n", "#", "A slow", "fast", "value", "B slow", "fast", "value", "dist px")
		for i, m := range r.Matches {
			pa := r.PeaksA[i]
			fmt.Fprintf(&sb, "  %3d  %6d %6d %14.7g", i+1, pa.Slow, pa.Fast, pa.Value)
			if m.B >= 0 {
				pb := r.PeaksB[m.B]
				fmt.Fprintf(&sb, "   %6d %6d %14.7g %8.3f\n", pb.Slow, pb.Fast, pb.Value, m.Distance)
			} else {
				fmt.Fprintf(&sb, "   %6s %6s %14s %8s\n", "-", "-", "-", "unmatched")
			}
		}
		for j, pb := range r.PeaksB {
			if !matchedB(r.Matches, j) {
				fmt.Fprintf(&sb, "  B only: slow %d, fast %d, value %.7g\n", pb.Slow, pb.Fast, pb.Value)
			}
		}
	}
	fmt.Fprintf(&sb, "RESULT %s\n", r.Verdict())
	_, err := io.WriteString(w, sb.String())
	return err
}

func matchedB(ms []Match, j int) bool {
	for _, m := range ms {
		if m.B == j {
			return true
		}
	}
	return false
}

// jnum is a float64 that is written to JSON as null when it is NaN or Inf.
type jnum float64

func (x jnum) MarshalJSON() ([]byte, error) {
	v := float64(x)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

type jImage struct {
	File   string `json:"file"`
	Format string `json:"format"`
	Fast   int    `json:"fast"`
	Slow   int    `json:"slow"`
}

type jROI struct {
	FastMin int `json:"fast_min"`
	FastMax int `json:"fast_max"`
	SlowMin int `json:"slow_min"`
	SlowMax int `json:"slow_max"`
}

type jPeak struct {
	Slow  int  `json:"slow"`
	Fast  int  `json:"fast"`
	Value jnum `json:"value"`
}

type jMatch struct {
	BIndex   int  `json:"b_index"`
	Slow     int  `json:"slow"`
	Fast     int  `json:"fast"`
	Value    jnum `json:"value"`
	Distance jnum `json:"distance_px"`
}

type jPeakA struct {
	jPeak
	Match *jMatch `json:"match"`
}

type jReport struct {
	A              jImage   `json:"a"`
	B              jImage   `json:"b"`
	ROI            jROI     `json:"roi"`
	Pixels         int      `json:"pixels"`
	Correlation    jnum     `json:"correlation"`
	RMSE           jnum     `json:"rmse"`
	MaxAbsDiff     jnum     `json:"max_abs_diff"`
	MaxAbsDiffSlow int      `json:"max_abs_diff_slow"`
	MaxAbsDiffFast int      `json:"max_abs_diff_fast"`
	MaxAbsB        jnum     `json:"max_abs_b"`
	MaxRelDiff     jnum     `json:"max_abs_diff_over_max_abs_b"`
	SumA           jnum     `json:"sum_a"`
	SumB           jnum     `json:"sum_b"`
	SumRatio       jnum     `json:"sum_ratio"`
	NonFiniteA     int      `json:"nonfinite_a"`
	NonFiniteB     int      `json:"nonfinite_b"`
	PeakRadius     int      `json:"peak_suppression_radius_px"`
	MatchRadius    jnum     `json:"peak_match_radius_px"`
	PeaksA         []jPeakA `json:"peaks_a"`
	PeaksB         []jPeak  `json:"peaks_b"`
	PeaksMatched   int      `json:"peaks_matched"`
	PeakDistMean   jnum     `json:"peak_distance_mean_px"`
	PeakDistMax    jnum     `json:"peak_distance_max_px"`
	CorrMin        jnum     `json:"correlation_min"`
	SumRatioMin    jnum     `json:"sum_ratio_min"`
	SumRatioMax    jnum     `json:"sum_ratio_max"`
	Pass           bool     `json:"pass"`
}

// MarshalJSON writes the same figures as WriteText, float64 at full
// precision (NaN and Inf as null).
func (r *Result) MarshalJSON() ([]byte, error) {
	s := r.Stats
	matched, mean, mx := r.PeakDistances()
	j := jReport{
		A:              jImage{r.A.Name, r.A.Format, r.A.Fast, r.A.Slow},
		B:              jImage{r.B.Name, r.B.Format, r.B.Fast, r.B.Slow},
		ROI:            jROI{s.ROI.FastMin(), s.ROI.FastMax(), s.ROI.SlowMin(), s.ROI.SlowMax()},
		Pixels:         s.Pixels,
		Correlation:    jnum(s.Correlation),
		RMSE:           jnum(s.RMSE),
		MaxAbsDiff:     jnum(s.MaxAbsDiff),
		MaxAbsDiffSlow: s.MaxAbsDiffSlow,
		MaxAbsDiffFast: s.MaxAbsDiffFast,
		MaxAbsB:        jnum(s.MaxAbsB),
		MaxRelDiff:     jnum(s.MaxRelDiff),
		SumA:           jnum(s.SumA),
		SumB:           jnum(s.SumB),
		SumRatio:       jnum(s.SumRatio),
		NonFiniteA:     s.NonFiniteA,
		NonFiniteB:     s.NonFiniteB,
		PeakRadius:     PeakRadius,
		MatchRadius:    jnum(MatchRadius),
		PeaksA:         []jPeakA{},
		PeaksB:         []jPeak{},
		PeaksMatched:   matched,
		PeakDistMean:   jnum(mean),
		PeakDistMax:    jnum(mx),
		CorrMin:        jnum(r.Opt.CorrMin),
		SumRatioMin:    jnum(r.Opt.SumRatioMin),
		SumRatioMax:    jnum(r.Opt.SumRatioMax),
		Pass:           r.Pass,
	}
	for i, p := range r.PeaksA {
		pa := jPeakA{jPeak: jPeak{p.Slow, p.Fast, jnum(p.Value)}}
		if m := r.Matches[i]; m.B >= 0 {
			pb := r.PeaksB[m.B]
			pa.Match = &jMatch{m.B, pb.Slow, pb.Fast, jnum(pb.Value), jnum(m.Distance)}
		}
		j.PeaksA = append(j.PeaksA, pa)
	}
	for _, p := range r.PeaksB {
		j.PeaksB = append(j.PeaksB, jPeak{p.Slow, p.Fast, jnum(p.Value)})
	}
	return json.MarshalIndent(j, "", "  ")
}
