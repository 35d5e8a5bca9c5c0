package ensemble_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"gobragg/config"
	"gobragg/ensemble"
	"gobragg/graph"
	"gobragg/mpi"
	"gobragg/refine"
	"gobragg/sim"
)

// Test data: a 15 Angstrom P1 cell with amplitudes to 2.5 Angstrom, still
// shots of random orientation on a 64x64 detector.
const (
	cellA     = 15.0
	dMinA     = 2.5
	bkgCounts = 0.1 // per pixel, known to the model
)

// writeTable writes pseudo-random Wilson-like amplitudes (Friedel mates
// equal) to dir and returns the file.
func writeTable(t testing.TB, dir string) string {
	path := filepath.Join(dir, "true.hkl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := int(cellA / dMinA)
	for h := -n; h <= n; h++ {
		for k := -n; k <= n; k++ {
			for l := -n; l <= n; l++ {
				s2 := float64(h*h+k*k+l*l) / (cellA * cellA)
				if s2 > 1/(dMinA*dMinA) {
					continue
				}
				rep := ensemble.Friedel{}.Reduce(h, k, l)
				u := float64(uint32(rep[0]*73856093^rep[1]*19349663^rep[2]*83492791)) / (1 << 32)
				F := 100 * math.Exp(-5*s2) * math.Sqrt(-math.Log(1-0.98*u))
				fmt.Fprintf(f, "%d %d %d %.4f\n", h, k, l, F)
			}
		}
	}
	return path
}

// shotArgs is the simulation of shot i with misset angles in degrees.
func shotArgs(hkl string, misset [3]float64) []string {
	return []string{"-cell", fmt.Sprint(cellA), fmt.Sprint(cellA), fmt.Sprint(cellA), "90", "90", "90", "-hkl", hkl,
		"-N", "6", "-misset", fmt.Sprint(misset[0]), fmt.Sprint(misset[1]), fmt.Sprint(misset[2]),
		"-lambda", "1", "-distance", "40", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1",
		"-fluence", "3e27", "-phi", "0", "-osc", "0", "-nonoise", "-noprogress"}
}

func prepare(t testing.TB, args []string) *graph.Experiment {
	s, err := config.Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Prepare(s, sim.Dirs{NoDump: true})
	if err != nil {
		t.Fatal(err)
	}
	p.Exp.Params.Set(graph.PBackground, bkgCounts)
	return p.Exp
}

// dataset simulates n shots with Poisson noise and returns, per shot, the
// model a per-shot refinement would leave (misset off by up to
// perturbDeg), the counts and the fitted pixels.
type shotData struct {
	exp    *graph.Experiment
	f0     []float64 // the true dense table (a fit writes its own into exp)
	counts []float64
	pixels []int
}

func dataset(t testing.TB, n int, seed uint64, perturbDeg float64) []shotData {
	dir := t.TempDir()
	hkl := writeTable(t, dir)
	rng := rand.New(rand.NewPCG(seed, 11))
	var out []shotData
	for i := 0; i < n; i++ {
		misset := [3]float64{360 * rng.Float64(), 180*rng.Float64() - 90, 360 * rng.Float64()}
		truth := prepare(t, shotArgs(hkl, misset))
		m, err := graph.Build(truth, graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Run(); err != nil {
			t.Fatal(err)
		}
		img := m.Image()
		m.Close()
		src := rand.NewPCG(seed, uint64(1000+i))
		counts := make([]float64, len(img))
		mu := make([]float64, len(img))
		for j, v := range img {
			mu[j] = v + bkgCounts
			counts[j] = distuv.Poisson{Lambda: mu[j], Src: src}.Rand()
		}
		var model [3]float64
		for c := range model {
			model[c] = misset[c] + perturbDeg*(2*rng.Float64()-1)
		}
		exp := prepare(t, shotArgs(hkl, model))
		pixels := refine.SelectSpots(mu, 64, 64, 2, refine.SpotThreshold{})
		if len(pixels) == 0 {
			continue // a shot with no spot
		}
		out = append(out, shotData{exp: exp, f0: append([]float64(nil), exp.F...), counts: counts, pixels: pixels})
	}
	return out
}

// refineOn refines on ranks local ranks (goroutines) and returns rank 0's
// result.
func refineOn(t *testing.T, data []shotData, ranks int, s ensemble.Settings) *ensemble.Result {
	t.Helper()
	for _, d := range data {
		copy(d.exp.F, d.f0)
	}
	table, err := ensemble.NewTable(data[0].exp, ensemble.Friedel{})
	if err != nil {
		t.Fatal(err)
	}
	start := ensemble.BinMeans(table.F0, table.Bins(ensemble.DefaultBins))
	comms := mpi.Local(ranks)
	results := make([]*ensemble.Result, ranks)
	errs := make([]error, ranks)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, end := mpi.Block(c, len(data))
			var shots []*ensemble.Shot
			for i := first; i < end; i++ {
				sh, err := ensemble.NewShot(fmt.Sprintf("shot %d", i), data[i].exp, data[i].counts, data[i].pixels)
				if err != nil {
					errs[r] = err
					return
				}
				defer sh.Close()
				shots = append(shots, sh)
			}
			p := &ensemble.Problem{Shots: shots, NShots: len(data), Table: table, Start: start}
			ss := s
			ss.Comm = c
			results[r], errs[r] = ensemble.Refine(p, ss)
		}()
	}
	wg.Wait()
	for r, err := range errs {
		if err != nil {
			t.Fatalf("%d ranks: rank %d: %v", ranks, r, err)
		}
	}
	return results[0]
}

// TestEnsembleRecoversF: from resolution-bin means, 12 noisy shots with
// models 0.005 degree off refine the measured amplitudes to CC >= 0.99
// with the truth, with pulls of a sensible spread.
func TestEnsembleRecoversF(t *testing.T) {
	data := dataset(t, 12, 1, 0.005)
	table, err := ensemble.NewTable(data[0].exp, ensemble.Friedel{}) // the truth
	if err != nil {
		t.Fatal(err)
	}
	res := refineOn(t, data, 1, ensemble.Settings{})
	if !res.Converged {
		t.Fatalf("did not converge: %s", res.Reason)
	}
	var fit, truth, pulls []float64
	for q, ok := range res.Measured {
		if !ok {
			continue
		}
		fit = append(fit, res.F[q])
		truth = append(truth, table.F0[q])
		pulls = append(pulls, (res.F[q]-table.F0[q])/res.Sigma[q])
	}
	cc := stat.Correlation(fit, truth, nil)
	mean, sd := stat.MeanStdDev(pulls, nil)
	t.Logf("%d of %d amplitudes measured, CC %.4f with the truth, pulls %.2f +- %.2f, %d iterations", len(fit), table.Len(), cc, mean, sd, res.Iterations)
	if len(fit) < table.Len()/4 {
		t.Errorf("only %d of %d amplitudes measured", len(fit), table.Len())
	}
	if cc < 0.99 {
		t.Errorf("CC with the true amplitudes %.4f, want >= 0.99", cc)
	}
	// The models' misset errors add to the Poisson noise, so pulls may be
	// wider than 1, but not far: a wrong sigma would be off by its scale.
	if sd > 3 || sd < 0.5 {
		t.Errorf("pulls have standard deviation %.2f, want 0.5..3", sd)
	}
}

// TestEnsembleSameBitsOnAnyRanks: 1, 2 and 3 ranks, and a run resumed from
// a checkpoint, give the same amplitudes bit for bit.
func TestEnsembleSameBitsOnAnyRanks(t *testing.T) {
	data := dataset(t, 3, 2, 0.005)
	dir := t.TempDir()
	base := ensemble.Settings{EpochIterations: 10, Checkpoint: filepath.Join(dir, "ck.json"), Fingerprint: "test"}
	ref := refineOn(t, data, 1, base)
	if !ref.Converged || ref.Epochs < 2 {
		t.Fatalf("reference: converged %v in %d epochs (%s); the test needs a converged fit of several epochs", ref.Converged, ref.Epochs, ref.Reason)
	}
	same := func(name string, got *ensemble.Result) {
		t.Helper()
		for q := range ref.F {
			if math.Float64bits(got.F[q]) != math.Float64bits(ref.F[q]) {
				t.Fatalf("%s: F[%d] = %v, one rank %v", name, q, got.F[q], ref.F[q])
			}
		}
	}
	for _, ranks := range []int{2, 3} {
		s := base
		s.Checkpoint = filepath.Join(dir, fmt.Sprintf("ck%d.json", ranks))
		same(fmt.Sprintf("%d ranks", ranks), refineOn(t, data, ranks, s))
	}
	// Stop after one epoch, then resume to the end.
	s := base
	s.Checkpoint = filepath.Join(dir, "stopped.json")
	s.MaxIterations = s.EpochIterations
	if r := refineOn(t, data, 2, s); r.Converged {
		t.Fatalf("a run of %d iterations converged; the test needs it stopped", s.MaxIterations)
	}
	s.MaxIterations = 0
	s.Resume = true
	got := refineOn(t, data, 2, s)
	if got.Resumed != 1 {
		t.Errorf("resumed after epoch %d, want 1", got.Resumed)
	}
	same("resumed", got)
}
