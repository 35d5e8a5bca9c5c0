package refine

import (
	"fmt"
	"math"
	"testing"

	"gobragg/imageio"
)

// TestCBFCutoff: the overload from the Pilatus header line and the imgCIF
// item, alone, together (the smaller) and as a loop column.
func TestCBFCutoff(t *testing.T) {
	loop := "loop_\r\n_array_intensities.array_id\r\n_array_intensities.binary_id\r\n_array_intensities.linearity\r\n" +
		"_array_intensities.gain\r\n_array_intensities.gain_esd\r\n_array_intensities.overload\r\n" +
		"_array_intensities.undefined_value\r\nARRAY1 1 linear 1.0 . %s -1\r\n"
	cases := []struct {
		name, header, countCutoff string
		want                      float64
		err                       bool
	}{
		{"none", "", "", math.Inf(1), false},
		{"Count_cutoff", "", "388705 counts", 388705, false},
		{"Count_cutoff 0: none", "", "0 counts", math.Inf(1), false},
		{"loop", fmt.Sprintf(loop, "1000"), "", 1000, false},
		{"loop unknown", fmt.Sprintf(loop, "."), "", math.Inf(1), false},
		{"both, the smaller", fmt.Sprintf(loop, "1000"), "388705 counts", 1000, false},
		{"plain item", "_array_intensities.overload 500\r\n", "", 500, false},
		{"negative", "", "-5 counts", 0, true},
		{"not a number", "_array_intensities.overload lots\r\n", "", 0, true},
		{"short loop row", "loop_\r\n_array_intensities.gain\r\n_array_intensities.overload\r\n1.0\r\n", "", 0, true},
	}
	for _, c := range cases {
		cbf := &imageio.CBF{Header: c.header, Values: map[string]string{}}
		if c.countCutoff != "" {
			cbf.Values["Count_cutoff"] = c.countCutoff
		}
		got, err := cbfCutoff(cbf)
		if (err != nil) != c.err || (err == nil && got != c.want) {
			t.Errorf("%s: %g, %v; want %g (error %v)", c.name, got, err, c.want, c.err)
		}
	}
}
