package graph

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"

	"gobragg/dual"
)

// TestFuncOpGradient: a Func wrapped as a Gorgonia op gets its gradient
// from its own VJP through the TapeMachine's backward pass, unpacked per
// input, and Gorgonia adds the contributions of a node used twice.
func TestFuncOpGradient(t *testing.T) {
	g := NewGraph()
	x := g.Vector("x", []float64{0.3, -1.2, 2.0})
	y := g.Vector("y", []float64{0.7})
	f := dualFunc{Label: "f", Sizes: []int{3, 1}, Out: 2, Body: func(in [][]dual.Num) ([]dual.Num, error) {
		v := dual.Vec3{in[0][0], in[0][1], in[0][2]}
		return []dual.Num{dual.Mul(v.Dot(v), in[1][0]), dual.Sin(dual.Mul(in[0][0], in[1][0]))}, nil
	}}
	out, err := g.Apply(f, x, y)
	require.NoError(t, err)
	again, err := g.Apply(pieceFunc{Label: "x0", Off: 0, N: 1, Total: 3}, x)
	require.NoError(t, err)
	loss := G.Must(G.Add(G.Must(G.Sum(out)), G.Must(G.Sum(again))))
	_, err = G.Grad(loss, x, y)
	require.NoError(t, err)
	m := G.NewTapeMachine(g.G)
	defer m.Close()
	require.NoError(t, m.RunAll())
	gx, err := x.Grad()
	require.NoError(t, err)
	gy, err := y.Grad()
	require.NoError(t, err)
	// loss = y |x|^2 + sin(x0 y) + x0
	xs, yv := []float64{0.3, -1.2, 2.0}, 0.7
	want := []float64{2*yv*xs[0] + yv*math.Cos(xs[0]*yv) + 1, 2 * yv * xs[1], 2 * yv * xs[2]}
	require.InDeltaSlice(t, want, gx.Data(), 1e-12)
	norm := xs[0]*xs[0] + xs[1]*xs[1] + xs[2]*xs[2]
	require.InDelta(t, norm+xs[0]*math.Cos(xs[0]*yv), gy.Data().([]float64)[0], 1e-12)
}
