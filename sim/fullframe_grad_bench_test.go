package sim

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"

	"gobragg/graph"
	"gobragg/internal/golden"
)

// BenchmarkFullFrameGradient prints the gradient/forward CPU-time ratio of
// the full supervisor frame (10 subpaths per pixel, every parameter and
// every structure factor), forward and gradient interleaved in this
// process, median of BENCH_RUNS (default 3). BENCH_STRIDE=n renders every
// n-th pixel only (same per-pixel work, for profiling); BENCH_MODE picks
// one mode; BENCH_CASE=bench128 times the performance table's gradient
// configuration (benchArgs(128)) instead.
func BenchmarkFullFrameGradient(b *testing.B) {
	m, err := golden.Load()
	if err != nil {
		b.Skipf("no golden data: %v", err)
	}
	args, ok := supervisorFrameArgs(m)
	if !ok {
		b.Skip("no supervisor_roi case")
	}
	name, npix := "full frame", 2463*2527
	if os.Getenv("BENCH_CASE") == "bench128" {
		name, npix, args = "bench.json 128x128", 128*128, benchArgs(128)
	}
	runs, stride := 3, 1
	if n, err := strconv.Atoi(os.Getenv("BENCH_RUNS")); err == nil && n > 0 {
		runs = n
	}
	if n, err := strconv.Atoi(os.Getenv("BENCH_STRIDE")); err == nil && n > 0 {
		stride = n
	}
	modes := []string{"c-parity", "spec"}
	if m := os.Getenv("BENCH_MODE"); m != "" {
		modes = []string{m}
	}
	for _, mode := range modes {
		p := mustPrepare(b, "", append([]string{"-mode", mode}, args...)...)
		var opts graph.Options
		if stride > 1 {
			for i := 0; i < npix; i += stride {
				opts.Pixels = append(opts.Pixels, i)
			}
		}
		var ratios []float64
		for r := 0; r < runs; r++ {
			start := processCPU()
			if _, err := p.LossWith(opts); err != nil {
				b.Fatal(err)
			}
			fwd := processCPU() - start
			start = processCPU()
			if _, _, _, err := p.GradientWith(opts); err != nil {
				b.Fatal(err)
			}
			grad := processCPU() - start
			ratios = append(ratios, grad/fwd)
			fmt.Printf("%s run %d: forward %.2f s cpu, gradient %.2f s cpu, ratio %.2f\n", mode, r, fwd, grad, grad/fwd)
		}
		sort.Float64s(ratios)
		fmt.Printf("%s %s (stride %d, %d parameters + F): gradient/forward median %.2f\n",
			name, mode, stride, p.Exp.Params.Len(), ratios[len(ratios)/2])
	}
}
