package main

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/expt"
)

// TestMultiPanelExptIn: a two-panel experiment list renders, in one float
// image (panel 0's pixels, then panel 1's), what each panel renders as
// the single-panel list it comes from; -cbffile and -expt write the
// still's CBF and list with the detector as read; the gradient names
// every panel's and group's motions; single-panel outputs are refused.
func TestMultiPanelExptIn(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, append(strings.Fields(tinyCrystal), "-expt", "a.expt", "-nonoise")...)
	read := func(name string) *expt.List {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		defer f.Close()
		l, err := expt.Read(f, name)
		require.NoError(t, err)
		return l
	}
	write := func(name string, l *expt.List) {
		f, err := os.Create(filepath.Join(dir, name))
		require.NoError(t, err)
		require.NoError(t, l.Write(f))
		require.NoError(t, f.Close())
	}
	// Panel 1: another size, 30 mm further along fast and turned 5
	// degrees about the beam (the list's z).
	a := read("a.expt")
	p0 := a.Detectors[0].Panels[0]
	p1 := p0
	s, c := math.Sincos(5 * math.Pi / 180)
	turn := func(v [3]float64) [3]float64 { return [3]float64{c*v[0] - s*v[1], s*v[0] + c*v[1], v[2]} }
	p1.FastAxis, p1.SlowAxis = turn(p0.FastAxis), turn(p0.SlowAxis)
	for i := range p1.Origin {
		p1.Origin[i] += 30 * p0.FastAxis[i]
	}
	p1.ImageSize = [2]int{20, 16}
	b := read("a.expt")
	b.Detectors[0].Panels[0] = p1
	write("b.expt", b)
	two := read("a.expt")
	two.Detectors[0].Panels = []expt.Panel{p0, p1}
	two.Detectors[0].Hierarchy["children"] = []any{map[string]any{"panel": 0}, map[string]any{"panel": 1}}
	write("two.expt", two)

	sim := strings.Fields("-default_F 100 -N 5 -nopgm -nonoise -noprogress")
	floats := func(list string) []float32 {
		bin := strings.TrimSuffix(list, ".expt") + ".bin"
		mustRun(t, dir, append(sim, "-expt_in", list, "-floatfile", bin)...)
		raw, err := os.ReadFile(filepath.Join(dir, bin))
		require.NoError(t, err)
		out := make([]float32, len(raw)/4)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return out
	}
	want := append(floats("a.expt"), floats("b.expt")...)
	got := floats("two.expt")
	require.Len(t, got, 64*48+20*16)
	peak := float32(0)
	for _, v := range want {
		peak = max(peak, v)
	}
	require.Greater(t, peak, float32(0), "something diffracts")
	// The single-panel list places its panel through the beam-pivot
	// distance and beam centre, the multi-panel one by its origin: the
	// same positions to rounding, far below float32's 6e-8.
	const tol = 1e-6
	for i := range want {
		require.InDelta(t, want[i], got[i], float64(tol*peak), "pixel %d", i)
	}

	// The full CBF and the list beside it: the list's detector as read.
	mustRun(t, dir, append(sim, "-expt_in", "two.expt", "-cbffile", "two_00001.cbf", "-expt", "out.expt")...)
	in, err := read("two.expt").Single("two.expt")
	require.NoError(t, err)
	back, err := read("out.expt").Single("out.expt")
	require.NoError(t, err)
	require.Equal(t, in.Panels, back.Panels)
	require.Equal(t, []string{filepath.Join(dir, "two_00001.cbf")}, read("out.expt").ImageSets[0].Images)

	g := mustRun(t, dir, append([]string{"gradient", "-wrt", "panel1_dist,group0_rot_normal"}, append(sim, "-expt_in", "two.expt")...)...)
	require.Contains(t, g.stdout, `"panel1_dist": "mm"`)
	require.Contains(t, g.stdout, `"group0_rot_normal": "degree"`)
	before := listDir(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"gradient", "-wrt", "panel2_dist"}, "panel2_dist is not a parameter of this run"},
		{[]string{"gradient", "-wrt", "panel1_dist", "-target", "a.bin"}, "-target: a data loss reads one panel's image"},
		{[]string{"sweep", "-frames", "2", "-template", "f_###.img"}, "-template: the -expt_in detector has several panels: a sweep of it writes .cbf frames (full CBF), not .img"},
		{[]string{"-pngfile", "x.png"}, "-pngfile: writes one panel's image or pixels"},
	} {
		r := runIn(t, dir, append(c.args, append(sim, "-expt_in", "two.expt")...)...)
		require.Empty(t, r.panicked, c.args)
		require.Equal(t, 2, r.code, "%v: %s", c.args, r.stderr)
		require.Equal(t, 1, strings.Count(r.stderr, "\n"), "%v: one line: %q", c.args, r.stderr)
		require.Contains(t, r.stderr, c.want)
		require.Equal(t, before, listDir(t, dir), "%v: nothing written", c.args)
	}
}
