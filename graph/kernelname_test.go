package graph

import (
	"strings"
	"testing"
)

// TestKernelName: the name says which lattice sums run, and why not the
// vector ones when they do not.
func TestKernelName(t *testing.T) {
	name := KernelName()
	switch {
	case vectorSums:
		if !strings.HasPrefix(name, "AVX-512") {
			t.Errorf("vector sums run but KernelName is %q", name)
		}
	case simdBuild:
		if !strings.Contains(name, "lacks AVX-512") {
			t.Errorf("a SIMD build on a CPU without AVX-512: KernelName is %q", name)
		}
	default:
		if !strings.Contains(name, "without GOEXPERIMENT=simd") {
			t.Errorf("a build without the experiment: KernelName is %q", name)
		}
	}
}
