package refine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNewtonPolish: from random starts of the small F problem (scale and
// every F moved by random factors), the Fisher-scoring polish keeps only
// steps that lower the loss, stays inside the bounds, brings the Newton
// decrement down, and leaves the models at the point it returns.
func TestNewtonPolish(t *testing.T) {
	f := smallFFitter(t)
	for seed := uint64(1); seed <= 3; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		start := append([]float64(nil), f.starts...)
		for j := range start {
			start[j] *= math.Exp(0.05 * r.NormFloat64())
		}
		o, err := f.readOptimum(start)
		if err != nil {
			t.Fatal(err)
		}
		got, kept, err := f.newtonPolish(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d: %d steps kept, loss %.6f -> %.6f, decrement %.4g -> %.4g", seed, kept, o.loss, got.loss, o.decrement, got.decrement)
		if kept == 0 || !(got.loss < o.loss) || !(got.decrement < o.decrement) {
			t.Errorf("seed %d: %d steps kept, loss %g -> %g, decrement %g -> %g", seed, kept, o.loss, got.loss, o.decrement, got.decrement)
		}
		for j, v := range got.values {
			if info := f.infos[j]; !(v >= info.Lower && v <= info.Upper) {
				t.Errorf("seed %d: %s = %g outside [%g, %g]", seed, f.names[j], v, info.Lower, info.Upper)
			}
		}
		f.cacheOK = false
		if loss, _, err := f.lossGrad(got.values); err != nil || loss != got.loss {
			t.Errorf("seed %d: the loss at the returned point is %g (%v), reported %g", seed, loss, err, got.loss)
		}
	}
}
