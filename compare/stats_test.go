package compare

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gobragg/raster"
)

// img builds a fast x slow image from row-major values.
func img(fast, slow int, v ...float64) *Image {
	if len(v) != fast*slow {
		panic("img: wrong number of values")
	}
	return &Image{Name: "test", Format: "float32", Image: raster.Whole(v, fast, slow)}
}

func TestComputeKnown(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name                 string
		a, b                 *Image
		roi                  *raster.ROI
		corr, rmse, maxDiff  float64
		maxSlow, maxFast     int
		maxB, maxRel         float64
		sumA, sumB, sumRatio float64
	}{
		{"B = 2A", img(2, 2, 1, 2, 3, 4), img(2, 2, 2, 4, 6, 8), nil,
			1, math.Sqrt(7.5), 4, 1, 1, 8, 0.5, 10, 20, 0.5},
		{"reversed", img(2, 2, 1, 2, 3, 4), img(2, 2, 4, 3, 2, 1), nil,
			-1, math.Sqrt(5), 3, 0, 0, 4, 0.75, 10, 10, 1},
		{"identical constant", img(3, 1, 5, 5, 5), img(3, 1, 5, 5, 5), nil,
			1, 0, 0, 0, 0, 5, 0, 15, 15, 1},
		{"A constant, B not", img(3, 1, 1, 1, 1), img(3, 1, 1, 2, 3), nil,
			0, math.Sqrt(5.0 / 3), 2, 0, 2, 3, 2.0 / 3, 3, 6, 0.5},
		{"all zero", img(2, 1, 0, 0), img(2, 1, 0, 0), nil,
			1, 0, 0, 0, 0, 0, 0, 0, 0, 1},
		{"B zero, A not", img(2, 1, 1, 0), img(2, 1, 0, 0), nil,
			0, math.Sqrt(0.5), 1, 0, 0, 0, inf, 1, 0, inf},
		{"negative values", img(2, 1, -1, 1), img(2, 1, -2, 2), nil,
			1, math.Sqrt(1), 1, 0, 0, 2, 0.5, 0, 0, 1},
		// Outside the ROI (fast 1..2, slow 1..1) the images disagree wildly.
		{"roi", img(3, 2, 100, -7, 3, 9, 1, 2), img(3, 2, 0, 50, 1, 1e6, 2, 4), &raster.ROI{1, 2, 1, 1},
			1, math.Sqrt(2.5), 2, 1, 2, 4, 0.5, 3, 6, 0.5},
	}
	for _, tc := range tests {
		roi := raster.Full(tc.a.Fast, tc.a.Slow)
		if tc.roi != nil {
			roi = *tc.roi
		}
		s, err := Compute(tc.a, tc.b, roi)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		check := func(what string, got, want float64) {
			if !(got == want || math.Abs(got-want) <= 1e-12*math.Abs(want)) {
				t.Errorf("%s: %s = %.17g, want %.17g", tc.name, what, got, want)
			}
		}
		check("correlation", s.Correlation, tc.corr)
		check("rmse", s.RMSE, tc.rmse)
		check("max |A-B|", s.MaxAbsDiff, tc.maxDiff)
		check("max |B|", s.MaxAbsB, tc.maxB)
		check("max |A-B|/max|B|", s.MaxRelDiff, tc.maxRel)
		check("sum A", s.SumA, tc.sumA)
		check("sum B", s.SumB, tc.sumB)
		check("sum ratio", s.SumRatio, tc.sumRatio)
		if s.MaxAbsDiffSlow != tc.maxSlow || s.MaxAbsDiffFast != tc.maxFast {
			t.Errorf("%s: max |A-B| at slow %d fast %d, want slow %d fast %d", tc.name, s.MaxAbsDiffSlow, s.MaxAbsDiffFast, tc.maxSlow, tc.maxFast)
		}
		if s.Pixels != roi.Pixels() || s.NonFiniteA != 0 || s.NonFiniteB != 0 {
			t.Errorf("%s: pixels %d non-finite %d %d, want %d 0 0", tc.name, s.Pixels, s.NonFiniteA, s.NonFiniteB, roi.Pixels())
		}
	}
	// Non-finite pixels are counted and poison the figures they enter.
	s, err := Compute(img(3, 1, 1, nan, 3), img(3, 1, 1, 2, inf), raster.Full(3, 1))
	if err != nil {
		t.Fatal(err)
	}
	if s.NonFiniteA != 1 || s.NonFiniteB != 1 || !math.IsNaN(s.Correlation) || !math.IsNaN(s.SumA) || !math.IsInf(s.SumB, 1) {
		t.Errorf("non-finite: got %+v", s)
	}
	if r := (&Result{Stats: s, Opt: DefaultOptions}); r.Stats.Correlation >= DefaultOptions.CorrMin {
		t.Error("NaN correlation passes the threshold")
	}
}

// TestComputeRandom checks Compute against the one-pass textbook formulas,
// evaluated independently here, on random images.
func TestComputeRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		fast, slow := 1+rng.IntN(40), 1+rng.IntN(40)
		a := &Image{Image: raster.Whole(make([]float64, fast*slow), fast, slow)}
		b := &Image{Image: raster.Whole(make([]float64, fast*slow), fast, slow)}
		for i := range a.Pix {
			a.Pix[i] = rng.ExpFloat64() * 100
			b.Pix[i] = 0.7*a.Pix[i] + rng.NormFloat64()*10*float64(trial%4)
		}
		f0, s0 := rng.IntN(fast), rng.IntN(slow)
		roi := raster.ROI{f0, f0 + rng.IntN(fast-f0), s0, s0 + rng.IntN(slow-s0)}
		s, err := Compute(a, b, roi)
		if err != nil {
			t.Fatal(err)
		}
		var n, sa, sb, saa, sbb, sab, sdd, maxd float64
		for sl := roi.SlowMin(); sl <= roi.SlowMax(); sl++ {
			for f := roi.FastMin(); f <= roi.FastMax(); f++ {
				x, y := a.Pix[sl*fast+f], b.Pix[sl*fast+f]
				n++
				sa += x
				sb += y
				saa += x * x
				sbb += y * y
				sab += x * y
				sdd += (x - y) * (x - y)
				maxd = math.Max(maxd, math.Abs(x-y))
			}
		}
		corr := (n*sab - sa*sb) / math.Sqrt((n*saa-sa*sa)*(n*sbb-sb*sb))
		if n == 1 || (n*saa-sa*sa) <= 1e-9*n*saa {
			continue // constant ROI: covered by TestComputeKnown
		}
		for _, c := range []struct {
			what      string
			got, want float64
			tol       float64 // the one-pass formula loses digits to cancellation
		}{
			{"correlation", s.Correlation, corr, 1e-9},
			{"rmse", s.RMSE, math.Sqrt(sdd / n), 1e-12},
			{"max |A-B|", s.MaxAbsDiff, maxd, 0},
			{"sum A", s.SumA, sa, 1e-13},
			{"sum ratio", s.SumRatio, sa / sb, 1e-13},
		} {
			if math.Abs(c.got-c.want) > c.tol*math.Abs(c.want) {
				t.Errorf("trial %d (%dx%d, roi %v): %s = %.17g, want %.17g", trial, fast, slow, roi, c.what, c.got, c.want)
			}
		}
	}
}

func TestComputeErrors(t *testing.T) {
	a := img(2, 2, 1, 2, 3, 4)
	tests := []struct {
		name string
		b    *Image
		roi  raster.ROI
		want string
	}{
		{"dims", img(4, 1, 1, 2, 3, 4), raster.Full(2, 2), "image dimensions differ"},
		{"roi outside", a, raster.ROI{0, 2, 0, 1}, "outside the 2x2 image"},
		{"roi negative", a, raster.ROI{-1, 1, 0, 1}, "outside"},
		{"roi empty", a, raster.ROI{1, 0, 0, 1}, "empty"},
	}
	for _, tc := range tests {
		_, err := Compute(a, tc.b, tc.roi)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
