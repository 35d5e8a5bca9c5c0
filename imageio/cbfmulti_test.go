package imageio

import (
	"math"
	"strings"
	"testing"
)

// TestAxisAngle: the axis and angle rebuild the frame's rotation (x to
// fast, y to slow) for frames at 0, 90 and 180 degrees and in between.
func TestAxisAngle(t *testing.T) {
	rot := func(axis [3]float64, deg float64, v [3]float64) [3]float64 {
		s, c := math.Sincos(deg * math.Pi / 180)
		k := axis
		kx := [3]float64{k[1]*v[2] - k[2]*v[1], k[2]*v[0] - k[0]*v[2], k[0]*v[1] - k[1]*v[0]}
		kd := k[0]*v[0] + k[1]*v[1] + k[2]*v[2]
		var out [3]float64
		for i := range out {
			out[i] = v[i]*c + kx[i]*s + k[i]*kd*(1-c)
		}
		return out
	}
	// Rounding of unit vectors and of the quaternion's square roots.
	const tol = 1e-14
	for _, f := range [][2][3]float64{
		{{1, 0, 0}, {0, 1, 0}}, {{1, 0, 0}, {0, -1, 0}}, {{0, 1, 0}, {-1, 0, 0}}, {{-1, 0, 0}, {0, -1, 0}},
		{{0, 0, 1}, {1, 0, 0}}, {{0.6, 0.8, 0}, {0, 0, -1}}, {{0.36, 0.48, 0.8}, {-0.8, 0.6, 0}},
	} {
		axis, deg := axisAngle(f[0], f[1])
		gf, gs := rot(axis, deg, [3]float64{1, 0, 0}), rot(axis, deg, [3]float64{0, 1, 0})
		for i := range 3 {
			if math.Abs(gf[i]-f[0][i]) > tol || math.Abs(gs[i]-f[1][i]) > tol {
				t.Fatalf("frame %v: axis %v angle %g gives fast %v slow %v", f, axis, deg, gf, gs)
			}
		}
	}
}

// TestWriteMultiCBFRefuses: counts that do not fill a panel and
// hierarchies that miss a panel or hold one twice write nothing.
func TestWriteMultiCBFRefuses(t *testing.T) {
	panel := CBFPanel{SizeFast: 2, SizeSlow: 2, PixelSizeMM: 0.1, Counts: []int32{1, 2, 3, 4}}
	leaf := func(i int) *CBFNode { return &CBFNode{Panel: i, Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}} }
	root := func(kids ...*CBFNode) *CBFNode {
		return &CBFNode{Panel: -1, Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}, Origin: [3]float64{0, 0, -50}, Children: kids}
	}
	short := panel
	short.Counts = short.Counts[:3]
	for _, c := range []struct {
		name string
		m    MultiCBF
		want string
	}{
		{"short counts", MultiCBF{Root: root(leaf(0)), Panels: []CBFPanel{short}}, "panel 0: 3 counts for 2x2 pixels"},
		{"panel twice", MultiCBF{Root: root(leaf(0), leaf(0)), Panels: []CBFPanel{panel}}, "panel 0 is not a panel or is in the hierarchy twice"},
		{"panel missing", MultiCBF{Root: root(leaf(0)), Panels: []CBFPanel{panel, panel}}, "panel 1 is in no group"},
		{"no root group", MultiCBF{Root: leaf(0), Panels: []CBFPanel{panel}}, "no root group"},
	} {
		var b strings.Builder
		err := WriteMultiCBF(&b, c.m)
		if err == nil || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
			t.Errorf("%s: error %v (wrote %d bytes), want %q and nothing written", c.name, err, b.Len(), c.want)
		}
	}
}
