package refine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/refine"
)

func TestParseStrategy(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // the stages' names, or "" for an error
	}{
		{"all", "all"},
		{"spots,broad:4,broad:2,all,scan,all", "spots broad:4 broad:2 all scan all"},
		{"spots,all,hop:3", "spots all hop:3"},
		{"hop:0", ""},
		{"geometry, shape, all", "geometry shape all"},
		{"spots", ""},       // must end with all
		{"all,spots", ""},   // likewise
		{"broad:1,all", ""}, // no broadening
		{"broad:x,all", ""}, // not a number
		{"spots,,all", ""},  // an empty stage
		{"everything", ""},  // unknown
		{"broad:1000,all", ""},
	} {
		st, err := refine.ParseStrategy(c.in)
		if c.want == "" {
			assert.Error(t, err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		var names string
		for i, s := range st {
			if i > 0 {
				names += " "
			}
			names += s.String()
		}
		assert.Equal(t, c.want, names)
	}
	// The default strategy reads back as itself.
	var names string
	for i, s := range refine.DefaultStrategy() {
		if i > 0 {
			names += ","
		}
		names += s.String()
	}
	back, err := refine.ParseStrategy(names)
	require.NoError(t, err)
	assert.Equal(t, refine.DefaultStrategy(), back)
}

// With a selection of pixels, a pixel outside it that the Poisson loss
// could not take (a negative count, as an SMV pixel below its pedestal
// gives) is no concern of the fit: the spot stage reads the whole frame
// but fits nothing there.
func TestSelectionIgnoresPixelsOutside(t *testing.T) {
	img, err := prepare(t, smallArgs...).Image()
	if err != nil {
		t.Fatal(err)
	}
	counts := noisy(img, 1, 1, 3)
	var pixels []int
	for i := 1; i < len(counts); i++ {
		pixels = append(pixels, i)
	}
	counts[0] = -3 // outside the selection
	p := prepare(t, smallArgs...)
	setOption(t, p.Exp, "background", 1)
	res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "frame", Exp: p.Exp, Counts: counts, Pixels: pixels}},
		Names: []string{"distance"}, Likelihood: refine.Poisson{}}, refine.Settings{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pixels != len(counts)-1 {
		t.Errorf("%d pixels fitted, want %d", res.Pixels, len(counts)-1)
	}
}
