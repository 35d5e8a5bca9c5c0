package refine

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/refl"
)

func TestCompareDIALSF(t *testing.T) {
	sum := uint64(refl.IntegratedSum)
	// F^2 = I lp / partiality exactly for every row; the raw sqrt(I) is
	// distorted by lp / partiality, which differ per reflection.
	tab := &refl.Table{Rows: 5,
		HKL:          [][3]int{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, 1, 1}},
		Flags:        []uint64{sum, sum, sum, sum, 0},
		IntensitySum: []float64{100, 400 / 0.5 * 0.9, 900, 1600 * 0.2, 1},
		LP:           []float64{1, 0.5, 1, 1, 1},
		Partiality:   []float64{1, 0.9, 1, 0.2, 1},
	}
	fs := []FittedF{{H: 1, Value: 10}, {K: 1, Value: 20}, {L: 1, Value: 30}, {H: 1, K: 1, Value: 40}, {H: 1, K: 1, L: 1, Value: 1}, {H: 2, Value: 5}}
	got := CompareDIALSF(fs, tab)
	require.Equal(t, 4, got.N) // 1 1 1 is not integrated, 2 0 0 not in the table
	require.InDelta(t, 1, got.Corrected, 1e-12)
	require.Less(t, got.Raw, 0.99)

	tab.LP, tab.Partiality = nil, nil
	require.True(t, math.IsNaN(CompareDIALSF(fs, tab).Corrected))
}

// A reflection whose only observation has partiality 0 has no corrected
// amplitude: it leaves the corrected correlation, not the raw one, and
// the reflections after it keep their own pairs.
func TestCompareDIALSFPartialityZero(t *testing.T) {
	sum := uint64(refl.IntegratedSum)
	tab := &refl.Table{Rows: 4,
		HKL:          [][3]int{{0, 0, 1}, {1, 0, 0}, {2, 0, 0}, {3, 0, 0}},
		Flags:        []uint64{sum, sum, sum, sum},
		IntensitySum: []float64{50, 100, 400, 900},
		LP:           []float64{1, 1, 1, 1},
		Partiality:   []float64{0, 1, 1, 1},
	}
	fs := []FittedF{{L: 1, Value: 1}, {H: 1, Value: 10}, {H: 2, Value: 20}, {H: 3, Value: 30}}
	got := CompareDIALSF(fs, tab)
	require.Equal(t, 4, got.N)
	// tolerance: rounding of a correlation of four float64 values
	require.InDelta(t, 1, got.Corrected, 1e-12)
	require.Less(t, got.Raw, 0.99)
}
