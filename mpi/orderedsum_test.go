package mpi

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// terms draws n items' terms of a sum of length m: dense and sparse ones,
// with values of very different sizes, so that the order of addition
// shows in the last bits.
func terms(rng *rand.Rand, n, m int) []Term {
	out := make([]Term, n)
	for k := range out {
		if k%3 == 0 {
			v := make([]float64, m)
			for i := range v {
				v[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(16)-8))
			}
			out[k] = Term{Value: v}
			continue
		}
		out[k] = Term{Index: []int{}, Value: []float64{}} // sparse, perhaps empty
		for i := range m {
			if rng.IntN(4) == 0 {
				out[k].Index = append(out[k].Index, i)
				out[k].Value = append(out[k].Value, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(16)-8)))
			}
		}
	}
	return out
}

// runRanks runs OrderedSum on n local ranks over all, each rank taking
// its Block, and returns every rank's result.
func runRanks(t *testing.T, n int, all []Term, m int) [][]float64 {
	t.Helper()
	comms := Local(n)
	res := make([][]float64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for r, c := range comms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, end := Block(c, len(all))
			res[r] = make([]float64, m)
			errs[r] = OrderedSum(c, all[first:end], res[r])
		}()
	}
	wg.Wait()
	for r, err := range errs {
		if err != nil {
			t.Fatalf("%d ranks: rank %d: %v", n, r, err)
		}
	}
	return res
}

// TestOrderedSumSameBits: 1 to 5 ranks give every rank the bits of a
// plain left-to-right sum over the items, for several random draws.
func TestOrderedSumSameBits(t *testing.T) {
	for seed := range uint64(5) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n, m := 20+rng.IntN(30), 1+rng.IntN(40)
		all := terms(rng, n, m)
		want := make([]float64, m)
		for _, tm := range all {
			for j, v := range tm.Value {
				i := j
				if tm.Index != nil {
					i = tm.Index[j]
				}
				want[i] += v
			}
		}
		for ranks := 1; ranks <= 5; ranks++ {
			for r, got := range runRanks(t, ranks, all, m) {
				for i := range want {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
						t.Fatalf("seed %d, %d ranks, rank %d: element %d is %v, one process %v", seed, ranks, r, i, got[i], want[i])
					}
				}
			}
		}
	}
}

func TestBlock(t *testing.T) {
	for _, tc := range []struct{ n, ranks int }{{10, 1}, {10, 3}, {10, 4}, {3, 5}, {0, 2}, {200, 4}} {
		next := 0
		for _, c := range Local(tc.ranks) {
			first, end := Block(c, tc.n)
			if first != next || end < first {
				t.Errorf("%d items on %d ranks: rank %d gets [%d, %d), want it to start at %d", tc.n, tc.ranks, c.Rank(), first, end, next)
			}
			if d := end - first; d != tc.n/tc.ranks && d != tc.n/tc.ranks+1 {
				t.Errorf("%d items on %d ranks: rank %d gets %d", tc.n, tc.ranks, c.Rank(), d)
			}
			next = end
		}
		if next != tc.n {
			t.Errorf("%d items on %d ranks: blocks end at %d", tc.n, tc.ranks, next)
		}
	}
}

func TestOrderedSumRefusesBadTerms(t *testing.T) {
	out := make([]float64, 3)
	for _, tc := range []struct {
		name string
		term Term
	}{
		{"dense of the wrong length", Term{Value: []float64{1, 2}}},
		{"index outside", Term{Index: []int{3}, Value: []float64{1}}},
		{"negative index", Term{Index: []int{-1}, Value: []float64{1}}},
		{"indices without values", Term{Index: []int{0, 1}, Value: []float64{1}}},
	} {
		if err := OrderedSum(Single{}, []Term{tc.term}, out); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
