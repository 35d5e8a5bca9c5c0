//go:build !(goexperiment.simd && amd64)

package graph

// simdBuild is false: this build has no vector lattice sums.
const simdBuild = false

// clearUpper has nothing to clear without vector code.
func clearUpper() {}

// Without GOEXPERIMENT=simd (or off amd64) vectorSums stays false and the
// scalar sums run; these are never called.

func square8(soa []float64, nt, j int, S, n [3]float64, cForm bool, h, k, l, f *[8]float64) {
	panic("graph: vector lattice sums not built")
}

func squareGradVec(g *squareGrad, lat, soa, gsoa []float64, n [3]float64) {
	panic("graph: vector lattice sums not built")
}
