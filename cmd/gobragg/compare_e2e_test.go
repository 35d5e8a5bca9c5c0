package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gobragg/internal/golden"
)

// Parity thresholds for gobragg -mode c-parity against C's floatimage.bin:
// the images are expected to agree to float32 rounding, so a correlation
// below 1-1e-6 or a sum differing by more than 1e-6 relative means a
// physics or ordering difference, not rounding.
const (
	parityCorrMin  = 0.999999
	paritySumSlack = 1e-6
)

// compareJSON is the part of compare's -json report the tests read.
type compareJSON struct {
	ROI struct {
		FastMin int `json:"fast_min"`
		FastMax int `json:"fast_max"`
		SlowMin int `json:"slow_min"`
		SlowMax int `json:"slow_max"`
	} `json:"roi"`
	Pixels      int      `json:"pixels"`
	Correlation *float64 `json:"correlation"` // null when not finite
	SumA        *float64 `json:"sum_a"`
	SumB        *float64 `json:"sum_b"`
	SumRatio    *float64 `json:"sum_ratio"`
	Pass        bool     `json:"pass"`
}

// caseROI returns the case's -roi (fast min, fast max, slow min, slow max)
// or the whole detector.
func caseROI(c *golden.Case) [4]int {
	roi := [4]int{0, c.Dims.Fast - 1, 0, c.Dims.Slow - 1}
	if v, ok := c.Arg("-roi", 4); ok {
		for i, s := range v {
			n, err := strconv.Atoi(s)
			if err != nil {
				panic("golden case " + c.Name + ": bad -roi " + s)
			}
			roi[i] = n
		}
	}
	return roi
}

// simulateCase runs gobragg -mode c-parity with the golden case's arguments
// (plus extra) in dir and returns the path of its float image.
func simulateCase(t *testing.T, m *golden.Manifest, c *golden.Case, dir string, extra ...string) (floatPath string, res cliResult) {
	t.Helper()
	args := append([]string{"-mode", "c-parity"}, absInputs(m.Dir, c.Args)...)
	args = append(args, extra...)
	res = mustRun(t, dir, args...)
	return filepath.Join(dir, argValue(c.Args, "-floatfile", "floatimage.bin")), res
}

// cFloatPath is the stored (possibly gzipped) float image of C.
func cFloatPath(m *golden.Manifest, c *golden.Case) string {
	return filepath.Join(m.Dir, c.Name, c.Outputs["floatimage.bin"].StoredAs)
}

// TestCompareGoldenEndToEnd runs, for every golden case that C completed,
// gobragg -mode c-parity with the case's arguments and then "gobragg
// compare GO C" on the float images (inside the case's -roi, if any), and
// checks the JSON figures and the exit status.
func TestCompareGoldenEndToEnd(t *testing.T) {
	m := goldenOrSkip(t)
	ran := 0
	for i := range m.Cases {
		c := &m.Cases[i]
		if _, ok := c.Outputs["floatimage.bin"]; c.ExitCode != 0 || !ok {
			continue
		}
		ran++
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			goFloat, _ := simulateCase(t, m, c, dir)
			roi := caseROI(c)
			jsonPath := filepath.Join(dir, "compare.json")
			args := []string{"compare", goFloat, cFloatPath(m, c),
				"-detpixels_x", strconv.Itoa(c.Dims.Fast), "-detpixels_y", strconv.Itoa(c.Dims.Slow),
				"-roi", strconv.Itoa(roi[0]), strconv.Itoa(roi[1]), strconv.Itoa(roi[2]), strconv.Itoa(roi[3]),
				"-corr", strconv.FormatFloat(parityCorrMin, 'g', -1, 64),
				"-sum_ratio", strconv.FormatFloat(1-paritySumSlack, 'g', -1, 64), strconv.FormatFloat(1+paritySumSlack, 'g', -1, 64),
				"-json", jsonPath}
			r := runIn(t, dir, args...)
			if r.panicked != "" {
				t.Fatalf("compare panicked: %s", r.panicked)
			}
			data, err := os.ReadFile(jsonPath)
			if err != nil {
				t.Fatalf("compare (exit %d, stderr %q) wrote no JSON: %v", r.code, r.stderr, err)
			}
			var j compareJSON
			if err := json.Unmarshal(data, &j); err != nil {
				t.Fatalf("compare JSON: %v\n%s", err, data)
			}
			if j.Correlation == nil || j.SumRatio == nil || j.SumA == nil || j.SumB == nil {
				t.Fatalf("compare JSON has non-finite figures:\n%s", data)
			}
			if *j.Correlation < parityCorrMin {
				t.Errorf("correlation GO vs C = %.12g, want >= %g", *j.Correlation, parityCorrMin)
			}
			if d := math.Abs(*j.SumRatio - 1); !(d <= paritySumSlack) {
				t.Errorf("sum ratio GO/C = %.15g (sum GO %.12g, sum C %.12g), want within %g of 1", *j.SumRatio, *j.SumA, *j.SumB, paritySumSlack)
			}
			if r.code != 0 || !j.Pass {
				t.Errorf("compare exit status %d, pass %v; want 0, true; stdout:\n%s", r.code, j.Pass, r.stdout)
			}
			// compare must have read C's image and window correctly: its
			// pixel count and sum of B agree with a direct reading of the
			// golden file (sums in float64 of the same float32 values, so
			// only the summation order may differ).
			want := [4]int{j.ROI.FastMin, j.ROI.FastMax, j.ROI.SlowMin, j.ROI.SlowMax}
			if want != roi || j.Pixels != (roi[1]-roi[0]+1)*(roi[3]-roi[2]+1) {
				t.Errorf("compare used roi %v (%d pixels), want %v", want, j.Pixels, roi)
			}
			raw, err := m.ReadAll(c, "floatimage.bin")
			if err != nil {
				t.Fatal(err)
			}
			pix := golden.Float32s(raw)
			sumC := 0.0
			for s := roi[2]; s <= roi[3]; s++ {
				for f := roi[0]; f <= roi[1]; f++ {
					sumC += float64(pix[s*c.Dims.Fast+f])
				}
			}
			if math.Abs(*j.SumB-sumC) > 1e-12*math.Abs(sumC) {
				t.Errorf("compare's sum of C's image %.15g, direct sum %.15g", *j.SumB, sumC)
			}
		})
	}
	if ran == 0 {
		t.Fatal("the golden manifest lists no case that C completed")
	}
	t.Logf("compared %d golden cases", ran)
}
