//go:build goexperiment.simd && amd64

package graph

import (
	"math"
	"testing"
	"time"
)

// BenchmarkExpAfterVectorCode times math.Exp over a Gaussian spot's
// exponents (0 to −700) right after eight-lane vector code, with the
// vector registers' upper halves left dirty and cleared by clearUpper,
// the two interleaved in one run, and prints dirty/cleared: what the
// pixel loop's clearUpper saves each Gaussian term on a CPU that charges
// for mixing VEX and legacy SSE instructions (math.Exp's FMA path does).
func BenchmarkExpAfterVectorCode(b *testing.B) {
	if !vectorSums || !hasAVX {
		b.Skip("no eight-lane vector code in this build (make test builds with GOEXPERIMENT=simd) or on this CPU")
	}
	xs := make([]float64, 4096)
	for i := range xs {
		xs[i] = -700 * float64(i) / float64(len(xs))
	}
	var lanes [8]float64
	sum := 0.0
	pass := func(clear bool) time.Duration {
		start := time.Now()
		for rep := 0; rep < 64; rep++ {
			bc(float64(rep)).Mul(bc(1.5)).Store(&lanes) // dirties the upper halves
			if clear {
				clearUpper()
			}
			for _, x := range xs {
				sum += math.Exp(x)
			}
		}
		return time.Since(start)
	}
	var dirty, cleared time.Duration
	for i := 0; i < b.N; i++ {
		dirty += pass(false)
		cleared += pass(true)
	}
	b.ReportMetric(float64(dirty)/float64(cleared), "dirty/cleared")
	if math.IsNaN(sum + lanes[0]) {
		b.Fatal("NaN")
	}
}
