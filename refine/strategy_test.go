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
