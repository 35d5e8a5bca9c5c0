package detector

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"gobragg/dual"
)

// readLines returns the lines of a golden text file.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

// traceValues returns the numbers following prefix on every line that
// starts with it.
func traceValues(t *testing.T, lines []string, prefix string) [][]float64 {
	t.Helper()
	var out [][]float64
	for _, l := range lines {
		rest, ok := strings.CutPrefix(l, prefix)
		if !ok {
			continue
		}
		var vals []float64
		for _, f := range strings.Fields(rest) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			vals = append(vals, v)
		}
		out = append(out, vals)
	}
	return out
}

// parseHeader returns the key=value pairs of an SMV header text.
func parseHeader(h string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(h, "\n") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		out[k] = strings.TrimSuffix(v, ";")
	}
	return out
}

// containsBlock reports whether want occurs as consecutive lines of lines.
func containsBlock(lines, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for i := 0; i+len(want) <= len(lines); i++ {
		ok := true
		for j := range want {
			if lines[i+j] != want[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Command-line conversions as nanoBragg does them.
func mm(v float64) dual.Num   { return dual.C(v / 1000.0) }
func degs(v float64) dual.Num { return dual.C(v / rtd) }
func unset() dual.Num         { return dual.C(math.NaN()) }

// withPixels sets -pixel pixelMM and -detpixels_x/-detpixels_y.
func withPixels(in Input, pixelMM float64, fast, slow int) Input {
	in.PixelSizeM = pixelMM / 1000.0
	in.FPixels, in.SPixels = fast, slow
	in.DetsizeFM = in.PixelSizeM * float64(fast)
	in.DetsizeSM = in.PixelSizeM * float64(slow)
	return in
}
