package refl

import (
	"bytes"
	"math"
	"sort"
)

// magic is how every msgpack reflection table starts: a list of three
// whose first element is the 27-byte string tableName.
var magic = append([]byte{0x93, 0xa0 | byte(len(tableName))}, tableName...)

// IsTable reports whether a file starting with prefix is a msgpack
// reflection table (prefix holds at least its first 29 bytes).
func IsTable(prefix []byte) bool { return bytes.HasPrefix(prefix, magic) }

// Amplitude is one reflection's mean structure-factor amplitude and the
// number of observations averaged.
type Amplitude struct {
	HKL [3]int
	F   float64
	N   int
}

// Amplitudes returns F = sqrt(max(I, 0)) of every integrated observation
// (flag IntegratedSum, a finite summed intensity, hkl not 0 0 0),
// averaged over the observations of each hkl, sorted by h, k, l. A
// negative intensity (noise around zero) counts as F = 0.
func (t *Table) Amplitudes() []Amplitude {
	return t.AmplitudesOf(func(_ int, I float64) float64 { return I })
}

// AmplitudesOf is Amplitudes of a corrected intensity: the observations
// are those of Amplitudes, chosen by their summed intensity I, and each
// contributes sqrt(max(intensity(row, I), 0)), where row is its index in
// the table; e.g. I lp / partiality for the intensity DIALS's
// Lorentz-polarization and partiality corrections give. An observation
// whose corrected intensity is not finite is left out.
func (t *Table) AmplitudesOf(intensity func(row int, I float64) float64) []Amplitude {
	if t.HKL == nil || t.IntensitySum == nil || t.Flags == nil {
		return nil
	}
	sum := map[[3]int]*Amplitude{}
	for i, hkl := range t.HKL {
		I := t.IntensitySum[i]
		if hkl == [3]int{} || !t.Has(i, IntegratedSum) || math.IsNaN(I) || math.IsInf(I, 0) {
			continue
		}
		// A correction that is not finite (partiality 0) says nothing of
		// the full intensity: the row is left out.
		if I = intensity(i, I); math.IsNaN(I) || math.IsInf(I, 0) {
			continue
		}
		a := sum[hkl]
		if a == nil {
			a = &Amplitude{HKL: hkl}
			sum[hkl] = a
		}
		a.F += math.Sqrt(math.Max(I, 0))
		a.N++
	}
	out := make([]Amplitude, 0, len(sum))
	for _, a := range sum {
		a.F /= float64(a.N)
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].HKL, out[j].HKL
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		if a[1] != b[1] {
			return a[1] < b[1]
		}
		return a[2] < b[2]
	})
	return out
}
