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
// amplitudes, negative intensities as 0). Corrected pairs only the
// reflections with a finite correction (partiality above 0).
func CompareDIALSF(fs []FittedF, t *refl.Table) DIALSF {
	out := DIALSF{Raw: math.NaN(), Corrected: math.NaN()}
	var n int
	n, out.Raw = correlateF(fs, t.Amplitudes())
	out.N = n
	if t.LP != nil && t.Partiality != nil {
		_, out.Corrected = correlateF(fs, t.AmplitudesOf(func(row int, I float64) float64 { return I * t.LP[row] / t.Partiality[row] }))
	}
	return out
}

// correlateF pairs refined F with the amplitudes of the same hkl and
// returns how many pairs and their correlation (NaN below two).
func correlateF(fs []FittedF, amps []refl.Amplitude) (int, float64) {
	index := make(map[[3]int]float64, len(amps))
	for _, a := range amps {
		index[a.HKL] = a.F
	}
	var f, g []float64
	for _, p := range fs {
		if v, ok := index[[3]int{p.H, p.K, p.L}]; ok {
			f, g = append(f, p.Value), append(g, v)
		}
	}
	if len(f) < 2 {
		return len(f), math.NaN()
	}
	return len(f), stat.Correlation(f, g, nil)
}
