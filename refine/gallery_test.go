package refine

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWriteShoeboxPNG(t *testing.T) {
	const fast, slow = 20, 10
	frame := func(v float64) []float64 { return filled(fast*slow, v) }
	observed := [][]float64{frame(1), frame(2)}
	model := [][]float64{frame(math.NaN()), frame(1.5)}
	for y := 2; y < 6; y++ {
		for x := 3; x < 9; x++ {
			model[0][y*fast+x] = 0.5
		}
	}
	boxes := []Shoebox{
		{HKL: [3]int{1, 2, 3}, X0: 3, X1: 9, Y0: 2, Y1: 6, Frames: []int{0, 1}},
		{HKL: [3]int{0, 0, 1}, X0: 0, X1: 4, Y0: 0, Y1: 3, Frames: []int{1}},
	}
	var b bytes.Buffer
	require.NoError(t, WriteShoeboxPNG(&b, boxes, observed, model, fast))
	im, err := png.Decode(&b)
	require.NoError(t, err)
	// Two reflections of three rows each; the widest box spans two frames.
	require.Equal(t, galleryLabelW+2*(6*galleryZoom+3), im.Bounds().Dx())
	require.Equal(t, 2*(36+3*(4*galleryZoom+3)+3*3), im.Bounds().Dy())

	// A box naming a frame the fit lacks, and boxes without counts, are errors.
	require.Error(t, WriteShoeboxPNG(&b, []Shoebox{{X1: 1, Y1: 1, Frames: []int{2}}}, observed, model, fast))
	require.Error(t, WriteShoeboxPNG(&b, boxes, [][]float64{frame(0), frame(0)}, model, fast))
}

// filled returns n copies of v.
func filled(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}
