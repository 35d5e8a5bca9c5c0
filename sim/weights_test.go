package sim

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gobragg/graph"
)

// weightArgs is a small spec-mode experiment lit by a source file (no
// water: the background is not a per-source term).
var weightArgs = []string{"-cell", "70", "80", "90", "75", "85", "95", "-misset", "10", "20", "30", "-default_F", "100",
	"-N", "5", "-distance", "100", "-pixel", "0.4", "-detpixels", "24", "-oversample", "2", "-polar", "0.9",
	"-fluence", "1e28", "-water", "0", "-sourcefile", "sources.txt"}

// sourceLines are three sources: directions and wavelengths differ.
var sourceLines = []string{"-10 0 0 %g 1.0e-10", "-10 0.02 0 %g 1.03e-10", "-10 0 -0.015 %g 0.97e-10"}

func weightedProblem(t *testing.T, weights []float64, mode string) *Problem {
	t.Helper()
	dir := t.TempDir()
	var lines []string
	for i, w := range weights {
		if !math.IsNaN(w) {
			lines = append(lines, fmt.Sprintf(sourceLines[i], w))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "sources.txt"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustPrepare(t, dir, append([]string{"-mode", mode}, weightArgs...)...)
}

// TestSourceWeights: in spec mode the image of weighted sources is the
// weighted mean of the images of each source alone,
// sum_s (w_s / sum w) image_s; c-parity ignores the weights as C does, and
// equal weights leave the unweighted loop (bit for bit).
func TestSourceWeights(t *testing.T) {
	nan := math.NaN()
	weights := []float64{1, 0.5, 2}
	img := func(p *Problem) []float64 { return image(t, p) }
	weighted := img(weightedProblem(t, weights, "spec"))
	alone := [][]float64{
		img(weightedProblem(t, []float64{1, nan, nan}, "spec")),
	}
	for s := 1; s < 3; s++ {
		// Source s alone: the others at weight 0 (checked below to equal a
		// file of that source only, for source 0).
		ws := []float64{0, 0, 0}
		ws[s] = 1
		alone = append(alone, img(weightedProblem(t, ws, "spec")))
	}
	// Weights (0, .., 1, .., 0) normalise to 3 on source s: 3x its third
	// of the three-source normalisation, i.e. the image of s alone.
	sum := weights[0] + weights[1] + weights[2]
	var maxD, maxV float64
	for i := range weighted {
		want := 0.0
		for s, w := range weights {
			want += w / sum * alone[s][i]
		}
		maxD = math.Max(maxD, math.Abs(weighted[i]-want))
		maxV = math.Max(maxV, math.Abs(want))
	}
	// Sums of the same terms in another order: rounding only.
	if !(maxD <= 1e-12*maxV) || maxV == 0 {
		t.Errorf("weighted image differs from the weighted mean of single sources by %g (max %g)", maxD, maxV)
	}
	// Source 0 with the others at weight 0 is the one-source file's image.
	single := alone[0]
	zeroed := img(weightedProblem(t, []float64{1, 0, 0}, "spec"))
	for i := range single {
		if math.Abs(single[i]-zeroed[i]) > 1e-12*maxV {
			t.Fatalf("pixel %d: weights (1, 0, 0) give %g, the one-source file %g", i, zeroed[i], single[i])
		}
	}
	cp := weightedProblem(t, weights, "c-parity")
	equal := weightedProblem(t, []float64{2, 2, 2}, "spec")
	if cp.Exp.SourceWeights != nil || equal.Exp.SourceWeights != nil {
		t.Errorf("weights %v in c-parity, %v for equal weights: want none", cp.Exp.SourceWeights, equal.Exp.SourceWeights)
	}
	if _, err := graph.SourceWeights([]float64{1, -1}); err == nil {
		t.Error("a negative weight was accepted")
	}
}

// TestSourceWeightsRunningSumGradient: weighted sources under C's running
// sum (c-parity quirks, -oversample_polar; weights set through the graph
// API, as the command line gives them only in spec mode) have the gradient
// of their image: each source's pass needs its own running-sum factor.
func TestSourceWeightsRunningSumGradient(t *testing.T) {
	p := mustPrepare(t, t.TempDir(), "-mode", "c-parity", "-oversample_polar", "-cell", "70", "80", "90", "75", "85", "95",
		"-misset", "10", "20", "30", "-default_F", "100", "-N", "5", "-distance", "100", "-pixel", "0.4", "-detpixels", "24",
		"-oversample", "2", "-polar", "0.9", "-fluence", "1e28", "-water", "0", "-dispersion", "3", "-dispsteps", "3")
	p.Exp.SourceWeights = []float64{0.6, 0.9, 1.5}
	_, g, _, err := p.Gradient()
	if err != nil {
		t.Fatal(err)
	}
	kahn, _ := p.Exp.Params.Get(graph.PPolar)
	sum := func(x float64) float64 {
		p.Exp.Params.Set(graph.PPolar, x)
		s := 0.0
		for _, v := range image(t, p) {
			s += v
		}
		return s
	}
	const h = 1e-4
	fd := (sum(kahn+h) - sum(kahn-h)) / (2 * h)
	// A central difference at h = 1e-4 is good to about 1e-7 here; a pass
	// given the whole pixel's factor was off by 2e-2.
	if rel := math.Abs(g[graph.PPolar]-fd) / math.Abs(fd); !(rel < 1e-6) {
		t.Errorf("d sum/d polar = %g, central difference %g (relative %g)", g[graph.PPolar], fd, rel)
	}
}

// TestSourceWeightsWaterBackground: weighted sources add the water
// background once, as the unweighted loop does (each source's pass adds
// 1/nsrc of it), and d sum/d water through those passes agrees with a
// central difference.
func TestSourceWeightsWaterBackground(t *testing.T) {
	const water = 20e-6 // m: the background is then comparable to the spots
	sum := func(p *Problem, w float64) float64 {
		p.Exp.Params.Set(graph.PWater, w)
		s := 0.0
		for _, v := range image(t, p) {
			s += v
		}
		return s
	}
	weighted := weightedProblem(t, []float64{1, 2, 3}, "spec")
	equal := weightedProblem(t, []float64{1, 1, 1}, "spec")
	if weighted.Exp.SourceWeights == nil || equal.Exp.SourceWeights != nil {
		t.Fatalf("source weights %v and %v: want weighted and unweighted loops", weighted.Exp.SourceWeights, equal.Exp.SourceWeights)
	}
	bgWeighted := sum(weighted, water) - sum(weighted, 0)
	bgEqual := sum(equal, water) - sum(equal, 0)
	// The two differ by the rounding of the per-pass sums (about 1e-16 of
	// each) and nothing else: a background added once per pass would be
	// three times too large.
	if rel := math.Abs(bgWeighted-bgEqual) / bgEqual; !(rel < 1e-12) {
		t.Errorf("background added by weighted sources %g, by the unweighted loop %g (relative %g)", bgWeighted, bgEqual, rel)
	}

	weighted.Exp.Params.Set(graph.PWater, water)
	_, g, _, err := weighted.Gradient()
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-8 // m
	fd := (sum(weighted, water+h) - sum(weighted, water-h)) / (2 * h)
	// The sum is a cubic in the water thickness plus a constant: the
	// central difference's error, h^2/water^2 of it, is 2.5e-7.
	if rel := math.Abs(g[graph.PWater]-fd) / math.Abs(fd); !(rel < 1e-6) {
		t.Errorf("d sum/d water = %g, central difference %g (relative %g)", g[graph.PWater], fd, rel)
	}
}
