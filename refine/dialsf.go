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
	corrected := t.LP != nil && t.Partiality != nil
	raw := t.Amplitudes()
	var corr []refl.Amplitude
	if corrected {
		corr = t.AmplitudesOf(func(row int, I float64) float64 { return I * t.LP[row] / t.Partiality[row] })
	}
	index := make(map[[3]int]int, len(raw))
	for j, a := range raw {
		index[a.HKL] = j
	}
	var f, fRaw, fCorr []float64
	for _, p := range fs {
		j, ok := index[[3]int{p.H, p.K, p.L}]
		if !ok {
			continue
		}
		f = append(f, p.Value)
		fRaw = append(fRaw, raw[j].F)
		if corrected {
			fCorr = append(fCorr, corr[j].F) // the same rows, so the same hkl order
		}
	}
	out := DIALSF{N: len(f), Raw: math.NaN(), Corrected: math.NaN()}
	if len(f) > 1 {
		out.Raw = stat.Correlation(f, fRaw, nil)
		if corrected {
			out.Corrected = stat.Correlation(f, fCorr, nil)
		}
	}
	return out
}
