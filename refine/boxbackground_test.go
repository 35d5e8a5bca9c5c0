package refine_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/refine"
)

// boxBackgrounds are the true backgrounds (counts per pixel) of the test's
// shoeboxes, brightest spot first: a spread one constant cannot fit.
var boxBackgrounds = []float64{0.3, 1, 2, 4, 8, 16}

// brightBoxes returns n boxes of (2h+1)^2 pixels around the brightest
// pixels of a fast x slow image, no two closer than a box.
func brightBoxes(img []float64, fast, slow, n, h int) []refine.Shoebox {
	order := make([]int, len(img))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return img[order[a]] > img[order[b]] })
	var out []refine.Shoebox
	for _, d := range order {
		x, y := d%fast, d/fast
		far := x >= h && y >= h && x+h < fast && y+h < slow
		for _, b := range out {
			if abs(x-(b.X0+h)) <= 2*h+1 && abs(y-(b.Y0+h)) <= 2*h+1 {
				far = false
			}
		}
		if far {
			out = append(out, refine.Shoebox{X0: x - h, X1: x + h + 1, Y0: y - h, Y1: y + h + 1, Frames: []int{0}, Row: -1})
			out[len(out)-1].HKL = [3]int{len(out), 0, 0} // a label
		}
		if len(out) == n {
			break
		}
	}
	return out
}

func abs(x int) int { return max(x, -x) }

// boxFrame is a Poisson frame of the test experiment with background
// boxBackgrounds[b] in box b, and the boxes' pixels.
func boxFrame(t *testing.T, seed uint64) ([]float64, []int, []refine.Shoebox) {
	t.Helper()
	img, err := prepare(t, simArgs...).Image()
	require.NoError(t, err)
	const fast, slow = 160, 160
	boxes := brightBoxes(img, fast, slow, len(boxBackgrounds), 5)
	require.Len(t, boxes, len(boxBackgrounds))
	counts := make([]float64, len(img))
	bkg := make([]float64, len(img))
	var pixels []int
	for b, box := range boxes {
		for y := box.Y0; y < box.Y1; y++ {
			for x := box.X0; x < box.X1; x++ {
				bkg[y*fast+x] = boxBackgrounds[b]
				pixels = append(pixels, y*fast+x)
			}
		}
	}
	sort.Ints(pixels)
	noise := noisy(img, 1, 0, seed)
	extra := noisy(bkg, 1, 0, seed+1000) // a sum of Poisson counts is Poisson
	for i := range counts {
		counts[i] = noise[i] + extra[i]
	}
	return counts, pixels, boxes
}

// TestShoeboxBackground: from random starts (scale within 30 %, the misset
// within 0.05 degree, every background 1 count), a fit with one background
// per shoebox converges and recovers each box's background within 3.5
// standard errors, where one background per frame does not fit the same
// data and says so.
func TestShoeboxBackground(t *testing.T) {
	// 3.5 SE: 18 pulls at 3 SE would fail by chance about one run in twenty.
	const maxPull = 3.5
	for seed := uint64(1); seed <= 3; seed++ {
		counts, pixels, boxes := boxFrame(t, seed)
		r := rand.New(rand.NewPCG(seed, 7))
		fit := func(model refine.BackgroundModel) *refine.Result {
			q := prepare(t, simArgs...)
			setOption(t, q.Exp, "scale", 1+0.3*(2*r.Float64()-1))
			setOption(t, q.Exp, "misset_z", 30+0.05*(2*r.Float64()-1))
			setOption(t, q.Exp, "background", 1)
			res, err := refine.Refine(&refine.Problem{
				Frames: []refine.Frame{{Name: "boxes", Exp: q.Exp, Counts: counts, Pixels: pixels}},
				Names:  []string{"scale", "misset_z", "background"}, Likelihood: refine.Poisson{},
				Background: model, Shoeboxes: boxes}, refine.Settings{}, nil)
			require.NoError(t, err)
			return res
		}
		res := fit(refine.ShoeboxBackground)
		require.True(t, res.Converged, "seed %d: %s", seed, res.Reason)
		require.Len(t, res.Shoeboxes, len(boxes))
		for b, got := range res.Shoeboxes {
			pull := (got.Value - boxBackgrounds[b]) / got.Sigma
			t.Logf("seed %d box %d: background %.3f +- %.3f, truth %g (pull %+.2f)", seed, b, got.Value, got.Sigma, boxBackgrounds[b], pull)
			require.Less(t, math.Abs(pull), maxPull, "seed %d box %d", seed, b)
		}
		for _, p := range res.Parameters {
			require.NotContains(t, p.Name, "background", "the shoebox backgrounds are reported apart")
		}
		// Every fitted pixel lies in one box: the boxes' statistics add
		// up to the fit's, and each box of the true model fits.
		require.Len(t, res.BoxFits, len(boxes))
		sum, boxPixels := 0.0, 0
		for _, b := range res.BoxFits {
			sum += b.Fit.Value
			boxPixels += b.Fit.Pixels
			require.LessOrEqual(t, b.Fit.Z, res.FitSigmas, "seed %d box %v", seed, b.HKL)
		}
		require.Equal(t, res.Fit.Pixels, boxPixels)
		require.InDelta(t, res.Fit.Value, sum, 1e-9*res.Fit.Value, "summed in another order")
		one := fit(refine.FrameBackground)
		require.False(t, one.Converged, "seed %d: one background for all boxes cannot fit", seed)
		require.Contains(t, one.Reason, "does not fit")
	}
}

// A background per shoebox needs the shoeboxes, the background refined,
// and a box around every fitted pixel.
func TestShoeboxBackgroundRefused(t *testing.T) {
	counts, pixels, boxes := boxFrame(t, 1)
	far := 0 // a pixel in no box
	for far = 0; far < len(counts); far++ {
		if !contains(pixels, far) {
			break
		}
	}
	for _, c := range []struct {
		name   string
		names  []string
		boxes  []refine.Shoebox
		pixels []int
		want   string
	}{
		{"no boxes", []string{"scale", "background"}, nil, pixels, "needs the shoeboxes"},
		{"background held", []string{"scale"}, boxes, pixels, "refine background"},
		{"pixel in no box", []string{"scale", "background"}, boxes, sortedWith(pixels, far), "lies in no shoebox"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := prepare(t, simArgs...)
			setOption(t, q.Exp, "background", 1)
			_, err := refine.Refine(&refine.Problem{
				Frames: []refine.Frame{{Name: "boxes", Exp: q.Exp, Counts: counts, Pixels: c.pixels}},
				Names:  c.names, Likelihood: refine.Poisson{}, Background: refine.ShoeboxBackground, Shoeboxes: c.boxes}, refine.Settings{}, nil)
			require.Error(t, err)
			require.True(t, errors.Is(err, refine.ErrBadInput), "%v", err)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

func contains(s []int, v int) bool {
	i := sort.SearchInts(s, v)
	return i < len(s) && s[i] == v
}

func sortedWith(s []int, v int) []int {
	out := append([]int{v}, s...)
	sort.Ints(out)
	return out
}
