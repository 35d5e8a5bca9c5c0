package refine

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/refl"
)

// A model whose spot is one pixel on two frames has its centroid at that
// pixel's centre and between the frames' centres, weighted by counts above
// the background; the data's centroid is taken the same way.
func TestCompareImageCentroids(t *testing.T) {
	const fast, slow = 8, 6
	frame := func(v float64) []float64 { return filled(fast*slow, v) }
	model := [][]float64{frame(0.5), frame(0.25), frame(math.NaN())}
	model[0][3*fast+2] += 3 // pixel (2, 3) on image 4
	model[1][3*fast+2] += 1 // and on image 5
	background := [][]float64{frame(0.5), frame(0.25), frame(0)}
	counts := [][]float64{frame(0.5), frame(0.25), frame(7)} // image 6 is not fitted
	counts[0][3*fast+2] += 2                                 // pixel (2, 3) on image 4
	counts[1][4*fast+2] += 2                                 // pixel (2, 4) on image 5
	tab := &refl.Table{Rows: 2,
		HKL:      [][3]int{{1, 2, 3}, {0, 0, 1}},
		Flags:    []uint64{uint64(refl.UsedInRefinement | refl.Predicted), uint64(refl.Predicted)},
		BBox:     [][6]int{{0, fast, 0, slow, 4, 7}, {0, 1, 0, 1, 4, 5}},
		XYZObsPx: [][3]float64{{2.5, 3.5 + 0.3, 4.5 + 0.25 + 0.4}, {}},
	}
	got := CompareImageCentroids(tab, []int{4, 5, 6}, fast, model, background, counts)
	require.Equal(t, 1, got.Observed.N)
	// tolerance: rounding of sums of a few float64 values
	const tol = 1e-12
	require.InDelta(t, 0, got.Observed.XPx, tol)
	require.InDelta(t, 0.3, got.Observed.YPx, tol)
	require.InDelta(t, 0.4, got.Observed.ZImages, tol)
	// The data's centroid: x 2.5, y 4.0, image 5.0; the model's 2.5, 3.5, 4.75.
	require.Equal(t, 1, got.Data.N)
	require.InDelta(t, 0, got.Data.XPx, tol)
	require.InDelta(t, 0.5, got.Data.YPx, tol)
	require.InDelta(t, 0.25, got.Data.ZImages, tol)
	require.Len(t, got.Rows, 1)
	require.Equal(t, 0, got.Rows[0].Row)
	require.InDeltaSlice(t, []float64{2.5, 3.5, 4.75}, got.Rows[0].Model[:], tol)
	require.InDeltaSlice(t, []float64{2.5, 4.0, 5.0}, got.Rows[0].Data[:], tol)
}
