package expt

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/spatial/r3"
)

var update = flag.Bool("update", false, "rewrite testdata/cspad64.expt from CSPADLike")

// cspadFile is the 64-panel test detector as a list (also read by the
// graph and gradcheck tests).
const cspadFile = "testdata/cspad64.expt"

// cspadList is a one-still list on CSPADLike's detector (ASICs of 12 x 10
// pixels of 0.5 mm at 60 mm: small images that still reach 2 Å at 1 Å).
func cspadList(t testing.TB) *List {
	t.Helper()
	det := CSPADLike(12, 10, 0.5, 60)
	l, err := NewList([]Shot{{
		Beam:     Beam{Direction: [3]float64{0, 0, 1}, WavelengthA: 1, PolarizationNormal: [3]float64{0, 1, 0}, PolarizationFraction: 0.999},
		Detector: &det,
		Crystal:  &Crystal{ID: "crystal", RealSpaceA: [3]float64{30, 2, 1}, RealSpaceB: [3]float64{-2, 35, 3}, RealSpaceC: [3]float64{1, -3, 40}, SpaceGroupHall: " P 1"},
		Images:   []string{"/cspad/shot_0001.cbf"},
	}})
	require.NoError(t, err)
	return l
}

func TestCSPADTestDataIsCSPADLike(t *testing.T) {
	// Compact JSON keeps the file small; dxtbx reads it as well.
	text, err := json.Marshal(cspadList(t))
	require.NoError(t, err)
	buf := bytes.NewBuffer(append(text, '\n'))
	if *update {
		require.NoError(t, os.WriteFile(cspadFile, buf.Bytes(), 0o644))
	}
	have, err := os.ReadFile(cspadFile)
	require.NoError(t, err)
	require.Equal(t, buf.String(), string(have), "go test ./expt -run TestCSPADTestData -update rewrites it")
}

// TestCSPADHierarchyPlacesEveryPanel checks the composed frames against
// what the layout must give, independently of how frames compose: every
// quadrant is the previous one turned by 90 degrees about the beam, the
// two ASICs of a sensor lie side by side along its fast axis, and a
// sensor's plane lies its lift behind the detector's.
func TestCSPADHierarchyPlacesEveryPanel(t *testing.T) {
	f, err := os.Open(cspadFile)
	require.NoError(t, err)
	defer f.Close()
	l, err := Read(f, cspadFile)
	require.NoError(t, err)
	e, err := l.Single(cspadFile)
	require.NoError(t, err)
	require.Len(t, e.Panels, 64)
	// Rounding of composed unit vectors and of origins of about 100 mm.
	const tol = 1e-12
	for i, p := range e.Panels {
		require.InDelta(t, 0, r3.Dot(vec(p.FastAxis), vec(p.SlowAxis)), tol, "panel %d orthogonal", i)
		require.InDelta(t, 1, r3.Norm(vec(p.FastAxis)), tol, "panel %d unit", i)
		require.InDelta(t, 60+float64(i/2%8)*0.01, -p.Origin[2], tol, "panel %d: the plane of its sensor", i)
		if i%2 == 1 {
			a := e.Panels[i-1]
			step := r3.Sub(vec(p.Origin), vec(a.Origin))
			require.InDelta(t, 0, r3.Norm(r3.Sub(step, r3.Scale(15*0.5, vec(a.FastAxis)))), tol, "panel %d beside panel %d", i, i-1)
		}
		if i >= 16 {
			prev := e.Panels[i-16]
			// The root's slow axis is -y: its quarter turns go clockwise about z.
			d := r3.Sub(r3.Vec{X: p.Origin[0], Y: p.Origin[1]}, rotZ(r3.Vec{X: prev.Origin[0], Y: prev.Origin[1]}, -90))
			require.InDelta(t, 0, r3.Norm(d), tol, "panel %d is panel %d turned by a quadrant", i, i-16)
		}
	}
	n := 0
	e.Hierarchy.Walk(func(g *Group) {
		require.Equal(t, n, g.Index, "groups are numbered depth first")
		n++
	})
	require.Equal(t, 1+4+32, n)
	require.Same(t, e.Hierarchy.Groups[3].Groups[7], e.Parents[63])
}

// rotZ turns v by deg degrees about z.
func rotZ(v r3.Vec, deg float64) r3.Vec {
	s, c := math.Sincos(deg * math.Pi / 180)
	return r3.Vec{X: c*v.X - s*v.Y, Y: s*v.X + c*v.Y, Z: v.Z}
}

func TestComposeIdentityIsExact(t *testing.T) {
	f := Frame{Fast: [3]float64{0.1, 0.2, 0.3}, Slow: [3]float64{1.0 / 3, 0, -7}, Origin: [3]float64{-1e-17, 5, 1e300}}
	require.Equal(t, f, identityFrame.Compose(f))
}

// TestHierarchyRefusedByName: hierarchies dxtbx would refuse (or that
// would place a panel nowhere or twice), each error naming the node.
func TestHierarchyRefusedByName(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, cspadList(t).Write(&buf))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	root := func(d map[string]any) map[string]any {
		return d["detector"].([]any)[0].(map[string]any)["hierarchy"].(map[string]any)
	}
	child := func(g map[string]any, i int) map[string]any { return g["children"].([]any)[i].(map[string]any) }
	cases := []struct {
		name string
		edit func(d map[string]any)
		want string
	}{
		{"panel out of range", func(d map[string]any) { child(child(child(root(d), 0), 0), 0)["panel"] = 64.0 }, "hierarchy.children[0].children[0].children[0].panel: 64 is not a panel of the detector (64 panels)"},
		{"panel twice", func(d map[string]any) { child(child(child(root(d), 0), 0), 0)["panel"] = 1.0 }, "panel 1 is in the hierarchy twice"},
		{"panel nowhere", func(d map[string]any) {
			s := child(child(root(d), 3), 7)
			s["children"] = s["children"].([]any)[:1]
		}, "panel 63 is in no group"},
		{"skewed group", func(d map[string]any) { child(root(d), 1)["slow_axis"] = []any{0.6, 0.8, 0.0} }, "hierarchy.children[1]: fast_axis [0 1 0] and slow_axis [0.6 0.8 0] are not perpendicular"},
		{"group axis not unit", func(d map[string]any) { root(d)["fast_axis"] = []any{2.0, 0.0, 0.0} }, "detector[0].hierarchy.fast_axis: [2 0 0] is not a unit vector"},
		{"short origin", func(d map[string]any) { root(d)["origin"] = []any{2.0, 0.0} }, "hierarchy.origin: not an array of 3 numbers"},
		{"children not an array", func(d map[string]any) { child(root(d), 2)["children"] = "x" }, "hierarchy.children[2].children: not an array"},
		{"child not an object", func(d map[string]any) { child(root(d), 2)["children"] = []any{7.0} }, "hierarchy.children[2].children[0]: not an object"},
		{"group turned away", func(d map[string]any) { root(d)["slow_axis"] = []any{0.0, 1.0, 0.0} }, "detector[0].panels[0]: the panel does not face the sample"},
		{"no panels", func(d map[string]any) {
			det := d["detector"].([]any)[0].(map[string]any)
			det["panels"], det["hierarchy"] = []any{}, nil
		}, "detector[0]: the detector has 0 panels (1 to 4096)"},
	}
	for _, c := range cases {
		var d map[string]any
		require.NoError(t, json.Unmarshal(buf.Bytes(), &d))
		c.edit(d)
		text, err := json.Marshal(d)
		require.NoError(t, err)
		_, err = readSingle(string(text), "bad.expt")
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.want, c.name)
		require.True(t, strings.HasPrefix(err.Error(), "expt bad.expt: "), c.name)
	}
}

// TestManyPanels: the most panels a detector may have are read, one
// more is refused, and so is a detector whose panels hold more pixels
// than one image may.
func TestManyPanels(t *testing.T) {
	panels := func(n int, p string) string {
		return strings.Replace(listJSON, "PANEL", strings.TrimSuffix(strings.Repeat(p+",", n), ","), 1)
	}
	e, err := readSingle(panels(maxPanels, panelJSON), "many.expt")
	require.NoError(t, err)
	require.Len(t, e.Panels, maxPanels)
	_, err = readSingle(panels(maxPanels+1, panelJSON), "many.expt")
	require.ErrorContains(t, err, "expt many.expt: detector[0]: the detector has 4097 panels (1 to 4096)")
	big := strings.Replace(panelJSON, `"image_size": [64, 48]`, `"image_size": [65536, 16384]`, 1)
	_, err = readSingle(panels(3, big), "big.expt")
	require.ErrorContains(t, err, "expt big.expt: detector[0]: 3221225472 pixels in all, above the 2147483648 one image may hold")
}
