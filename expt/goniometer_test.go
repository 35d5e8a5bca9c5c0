package expt

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// rotTol is the rounding of a few 3x3 products of unit-size numbers.
const rotTol = 1e-13

// rotate turns v about the unit axis u by angle (radians), right-handed,
// with Rodrigues' vector form: an independent check of the matrices the
// goniometer composes from gonum's rotations.
func rotate(u, v [3]float64, angle float64) [3]float64 {
	c, s := math.Cos(angle), math.Sin(angle)
	dot := u[0]*v[0] + u[1]*v[1] + u[2]*v[2]
	cross := [3]float64{u[1]*v[2] - u[2]*v[1], u[2]*v[0] - u[0]*v[2], u[0]*v[1] - u[1]*v[0]}
	var out [3]float64
	for i := range out {
		out[i] = v[i]*c + cross[i]*s + u[i]*dot*(1-c)
	}
	return out
}

func randUnit(r *rand.Rand) [3]float64 {
	v := [3]float64{r.NormFloat64(), r.NormFloat64(), r.NormFloat64()}
	n := math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])
	return [3]float64{v[0] / n, v[1] / n, v[2] / n}
}

// TestMultiAxisGoniometer checks dxtbx's rule for a multi-axis goniometer
// (axes listed from the crystal out): at scan angle phi a crystal vector v
// becomes the outer axes' rotations applied to R(scan, phi) applied to the
// inner axes' rotations of v, and that this equals turning S F v about
// S axis by phi, which is what the simulation does.
func TestMultiAxisGoniometer(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 20; trial++ {
		n := 1 + r.IntN(4)
		scan := r.IntN(n)
		axes := make([][3]float64, n)
		angles := make([]float64, n)
		for i := range axes {
			axes[i] = randUnit(r)
			angles[i] = 360 * (r.Float64() - 0.5)
		}
		b, err := json.Marshal(map[string]any{"axes": axes, "angles": angles, "scan_axis": scan})
		require.NoError(t, err)
		var g Goniometer
		require.NoError(t, json.Unmarshal(b, &g))
		require.NoError(t, checkRotation(g.FixedRotation))
		require.NoError(t, checkRotation(g.SettingRotation))

		v := [3]float64{r.NormFloat64() * 10, r.NormFloat64() * 10, r.NormFloat64() * 10}
		phi := 2 * math.Pi * r.Float64()
		want := v
		for i := 0; i < n; i++ {
			a := angles[i] * math.Pi / 180
			if i == scan {
				a = phi
			}
			want = rotate(axes[i], want, a)
		}
		got := rotate(g.SpindleAxis(), g.AtZero(v), phi)
		for k := range got {
			require.InDelta(t, want[k], got[k], rotTol*10, "trial %d (%d axes, scan axis %d)", trial, n, scan)
		}
	}
}

// TestLCysteineGoniometer reads the goniometer of DIALS's model of the
// L-cysteine wedge (I19-1: phi inside omega, omega scanning; DIALS
// tutorial data, Zenodo 51405, CC-BY 4.0): phi at 0 makes both extra
// rotations the identity and the spindle omega's axis.
func TestLCysteineGoniometer(t *testing.T) {
	var g Goniometer
	require.NoError(t, json.Unmarshal([]byte(`{"axes": [[0.5774, -0.8165, 0.0], [1.0, 0.0, 0.0]], "angles": [0.0, -145.0], "names": ["GON_PHI", "GON_OMEGA"], "scan_axis": 1}`), &g))
	require.Equal(t, [3]float64{1, 0, 0}, g.SpindleAxis())
	require.Equal(t, Identity, g.SettingRotation)
	for i, x := range g.FixedRotation {
		require.InDelta(t, Identity[i], x, rotTol)
	}
	b, err := json.Marshal(g)
	require.NoError(t, err)
	require.Contains(t, string(b), `"names":["GON_PHI","GON_OMEGA"],"scan_axis":1`)
}
