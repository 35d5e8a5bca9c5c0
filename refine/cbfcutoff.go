package refine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gobragg/imageio"
)

// cbfCutoff is the count at and above which a CBF frame's pixel is
// overloaded: the Pilatus header's "# Count_cutoff N counts" and the
// imgCIF item _array_intensities.overload (a plain item or a loop
// column), the smaller when both are given; +Inf when neither is, or is
// 0 (what imageio.WriteCBF writes for no cutoff). A value that is not a
// number, or is negative, is an error.
func cbfCutoff(c *imageio.CBF) (float64, error) {
	cut := math.Inf(1)
	if text, ok := c.Values["Count_cutoff"]; ok {
		v, err := nonNegative("# Count_cutoff", text)
		if err != nil {
			return 0, err
		}
		if v > 0 {
			cut = v
		}
	}
	text, ok, err := cifItem(c.Header, "_array_intensities.overload")
	if err != nil {
		return 0, err
	}
	if ok && text != "." && text != "?" {
		v, err := nonNegative("_array_intensities.overload", text)
		if err != nil {
			return 0, err
		}
		if v > 0 {
			cut = math.Min(cut, v)
		}
	}
	return cut, nil
}

// nonNegative reads the first word of a header value as a number >= 0.
func nonNegative(key, text string) (float64, error) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return 0, fmt.Errorf("header %s has no value", key)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil || !(v >= 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("header %s %s is not a number of counts", key, f[0])
	}
	return v, nil
}

// cifItem finds a CIF item in header text: "_name value" on one line, or
// a column of a loop_ whose first row follows its names (the first row's
// value; one array per frame). Values are words: quoted values with
// spaces are not split correctly, and a row of the wrong length is an
// error.
func cifItem(header, name string) (string, bool, error) {
	lines := strings.Split(strings.ReplaceAll(header, "\r", ""), "\n")
	for i := 0; i < len(lines); i++ {
		f := strings.Fields(lines[i])
		if len(f) == 2 && f[0] == name {
			return f[1], true, nil
		}
		if len(f) != 1 || f[0] != "loop_" {
			continue
		}
		var names []string
		j := i + 1
		for ; j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "_"); j++ {
			names = append(names, strings.TrimSpace(lines[j]))
		}
		for k, n := range names {
			if n != name {
				continue
			}
			if j >= len(lines) {
				return "", false, fmt.Errorf("loop of %s has no row", name)
			}
			row := strings.Fields(lines[j])
			if len(row) != len(names) {
				return "", false, fmt.Errorf("loop of %s: first row has %d values for %d names", name, len(row), len(names))
			}
			return row[k], true, nil
		}
		i = j - 1
	}
	return "", false, nil
}
