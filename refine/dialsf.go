package refine

import (
	"math"

	"gonum.org/v1/gonum/stat"

	"gobragg/refl"
)

// DIALSF compares refined structure factors with the amplitudes of
// DIALS's integrated intensities of the same reflections.
type DIALSF struct {
	N int // refined reflections DIALS integrated
	// Raw is the correlation of F with sqrt(I) of DIALS's summed
	// intensity; Corrected with sqrt(I lp / partiality), the intensity
	// with DIALS's Lorentz-polarization and partiality corrections, which
	// is what |F|^2 is proportional to (NaN without those columns).
	Raw, Corrected float64
}

// CompareDIALSF correlates the refined F with DIALS's integrated
// intensities (flag IntegratedSum; an hkl's observations averaged as
// amplitudes, negative intensities as 0).
func CompareDIALSF(fs []FittedF, t *refl.Table) DIALSF {
	type sums struct {
		raw, corr float64
		n         int
	}
	obs := map[[3]int]*sums{}
	corrected := t.LP != nil && t.Partiality != nil
	for i, hkl := range t.HKL {
		I := t.IntensitySum[i]
		if hkl == [3]int{} || !t.Has(i, refl.IntegratedSum) || math.IsNaN(I) || math.IsInf(I, 0) {
			continue
		}
		s := obs[hkl]
		if s == nil {
			s = &sums{}
			obs[hkl] = s
		}
		s.raw += math.Sqrt(math.Max(I, 0))
		if corrected {
			s.corr += math.Sqrt(math.Max(I*t.LP[i]/t.Partiality[i], 0))
		}
		s.n++
	}
	var f, raw, corr []float64
	for _, p := range fs {
		if s := obs[[3]int{p.H, p.K, p.L}]; s != nil {
			f = append(f, p.Value)
			raw = append(raw, s.raw/float64(s.n))
			corr = append(corr, s.corr/float64(s.n))
		}
	}
	out := DIALSF{N: len(f), Raw: math.NaN(), Corrected: math.NaN()}
	if len(f) > 1 {
		out.Raw = stat.Correlation(f, raw, nil)
		if corrected {
			out.Corrected = stat.Correlation(f, corr, nil)
		}
	}
	return out
}
