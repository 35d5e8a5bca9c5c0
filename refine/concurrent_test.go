package refine_test

import (
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/refine"
)

// A wedge's frames run at once (up to GOMAXPROCS), and their losses add
// up in frame order: one core or four, the fit takes the same steps to
// the same bits.
func TestRefineFramesConcurrently(t *testing.T) {
	fit := func(procs int) *refine.Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var frames []refine.Frame
		for k, phi := range []string{"0", "0.5", "1"} {
			args := append(append([]string{}, simArgs...), "-phi", phi, "-osc", "0.5", "-detpixels", "80")
			truth, err := prepare(t, args...).Image()
			require.NoError(t, err)
			q := prepare(t, args...)
			setOption(t, q.Exp, "misset_x", 10.05)
			setOption(t, q.Exp, "Na", 5.5)
			frames = append(frames, refine.Frame{Name: "frame " + phi, Exp: q.Exp, Counts: noisy(truth, 1, backgroundCounts, uint64(k+1))})
		}
		res, err := refine.Refine(&refine.Problem{Frames: frames, Names: []string{"scale", "background", "misset_x", "Na"},
			Likelihood: refine.Poisson{}}, refine.Settings{Strategy: []refine.Stage{{Kind: refine.PixelStage, Group: refine.AllParams}}}, nil)
		require.NoError(t, err)
		return res
	}
	one, four := fit(1), fit(4)
	require.Equal(t, one.Evaluations, four.Evaluations)
	require.Equal(t, math.Float64bits(one.Loss), math.Float64bits(four.Loss), "loss %v and %v", one.Loss, four.Loss)
	for j, p := range one.Parameters {
		require.Equal(t, math.Float64bits(p.Value), math.Float64bits(four.Parameters[j].Value), "%s: %v and %v", p.Name, p.Value, four.Parameters[j].Value)
	}
}
