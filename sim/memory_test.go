package sim

import (
	"runtime"
	"testing"

	"gobragg/graph"
)

// TestClosedModelsAreFreed builds, runs and closes gradient graphs of a
// small problem many times and checks that the heap does not grow with
// them: Gorgonia's TapeMachine has a finalizer and sits in a reference
// cycle, which the garbage collector never frees unless Close removes the
// finalizer (each graph here held about 0.3 MB; 100 of them 30 MB).
func TestClosedModelsAreFreed(t *testing.T) {
	p := mustPrepare(t, "", "-cell", "70", "80", "90", "75", "85", "95", "-misset", "10", "20", "30",
		"-default_F", "100", "-N", "5", "-distance", "100", "-pixel", "0.4", "-detpixels", "20",
		"-nonoise", "-nopgm", "-noprogress")
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	build := func(n int) {
		for range n {
			m, err := graph.Build(p.Exp, graph.Options{Gradient: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Run(); err != nil {
				t.Fatal(err)
			}
			m.Close()
		}
	}
	build(5) // warm-up: pools and lazily built tables
	before := heap()
	build(100)
	// Growth allowed: well under the 30 MB the leak kept, well over noise.
	const allowed = 5 << 20
	if grew := int64(heap()) - int64(before); grew > allowed {
		t.Errorf("heap grew by %.1f MB over 100 closed gradient graphs; want < %d MB", float64(grew)/(1<<20), allowed>>20)
	}
}
