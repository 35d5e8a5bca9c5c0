package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/imageio"
	"gobragg/refine"
)

// quad4 is a 4-panel detector of 24x24 pixels of 0.5 mm at 60 mm, two
// sensors in each of two groups (group1, group2) under the root (group0),
// with the still's beam and crystal.
const quad4 = "testdata/quad4.expt"

// quad4Model is what renders quad4's frame, bright spots on about 10
// photons of background.
var quad4Model = strings.Fields("-default_F 100 -N 5 -fluence 1e29 -water 0.01 -oversample 1 -noprogress")

// quad4JSON reads quad4 as JSON to be edited.
func quad4JSON(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(quad4)
	require.NoError(t, err)
	var d map[string]any
	require.NoError(t, json.Unmarshal(raw, &d))
	return d
}

// writeJSON writes an edited list.
func writeJSON(t *testing.T, path string, d map[string]any) {
	t.Helper()
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o644))
}

// vec3 is a JSON vector.
func vec3(v any) [3]float64 {
	a := v.([]any)
	return [3]float64{a[0].(float64), a[1].(float64), a[2].(float64)}
}

// moveNode applies a motion to a panel or group of a list as gobragg
// defines it, in the node's parent frame: shift (fast, slow, normal; mm)
// of its origin along its own axes, and turn (degrees) of its axes about
// its normal through its origin.
func moveNode(node map[string]any, shift [3]float64, turnDeg float64) {
	f, s := vec3(node["fast_axis"]), vec3(node["slow_axis"])
	n := [3]float64{f[1]*s[2] - f[2]*s[1], f[2]*s[0] - f[0]*s[2], f[0]*s[1] - f[1]*s[0]}
	o := vec3(node["origin"])
	for i := range o {
		o[i] += shift[0]*f[i] + shift[1]*s[i] + shift[2]*n[i]
	}
	// Rodrigues: v cos + (n x v) sin + n (n.v)(1 - cos).
	sin, cos := math.Sincos(turnDeg * math.Pi / 180)
	turn := func(v [3]float64) []any {
		c := [3]float64{n[1]*v[2] - n[2]*v[1], n[2]*v[0] - n[0]*v[2], n[0]*v[1] - n[1]*v[0]}
		d := n[0]*v[0] + n[1]*v[1] + n[2]*v[2]
		out := make([]any, 3)
		for i := range out {
			out[i] = v[i]*cos + c[i]*sin + n[i]*d*(1-cos)
		}
		return out
	}
	node["origin"] = []any{o[0], o[1], o[2]}
	node["fast_axis"], node["slow_axis"] = turn(f), turn(s)
}

// TestRefinePanelsCLI: quad4's panels and groups moved by 0.1 mm and 0.2
// degree (random panels, kinds and signs; three draws) render a noisy
// multi-panel CBF; gobragg refine from the unmoved list recovers every
// motion within 3 standard errors, from the CBF and from the same counts
// as a float image (the same numbers), with -select all and spots, the
// other motions held where the list has them.
func TestRefinePanelsCLI(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			dir := t.TempDir()
			r := rand.New(rand.NewPCG(seed, 16))
			sign := func() float64 { return float64(2*r.IntN(2) - 1) }
			d := quad4JSON(t)
			det := d["detector"].([]any)[0].(map[string]any)
			panels := det["panels"].([]any)
			halves := det["hierarchy"].(map[string]any)["children"].([]any)
			order := r.Perm(4)
			kinds := []string{"shift_fast", "shift_slow", "dist"}
			kind := r.IntN(3)
			half := r.IntN(2)
			truth := map[string]float64{ // option units: mm and degrees
				fmt.Sprintf("panel%d_dist", order[0]):            0.1 * sign(),
				fmt.Sprintf("panel%d_%s", order[1], kinds[kind]): 0.1 * sign(),
				fmt.Sprintf("panel%d_rot_normal", order[2]):      0.2 * sign(),
				fmt.Sprintf("group%d_rot_normal", half+1):        0.2 * sign(),
			}
			var shift [3]float64
			shift[2] = truth[fmt.Sprintf("panel%d_dist", order[0])]
			moveNode(panels[order[0]].(map[string]any), shift, 0)
			shift = [3]float64{}
			shift[kind] = truth[fmt.Sprintf("panel%d_%s", order[1], kinds[kind])]
			moveNode(panels[order[1]].(map[string]any), shift, 0)
			moveNode(panels[order[2]].(map[string]any), [3]float64{}, truth[fmt.Sprintf("panel%d_rot_normal", order[2])])
			moveNode(halves[half].(map[string]any), [3]float64{}, truth[fmt.Sprintf("group%d_rot_normal", half+1)])
			writeJSON(t, filepath.Join(dir, "truth.expt"), d)
			list, err := filepath.Abs(quad4)
			require.NoError(t, err)
			mustRun(t, dir, append([]string{"-expt_in", "truth.expt", "-cbffile", "data.cbf", "-seed", fmt.Sprint(seed)}, quad4Model...)...)
			// The same counts as a float image, the panels one after another.
			f, err := os.Open(filepath.Join(dir, "data.cbf"))
			require.NoError(t, err)
			arrays, err := imageio.ReadCBFArrays(f, "data.cbf")
			f.Close()
			require.NoError(t, err)
			var floats []float32
			for _, a := range arrays {
				for _, c := range a.Counts {
					floats = append(floats, float32(c))
				}
			}
			out, err := os.Create(filepath.Join(dir, "data.bin"))
			require.NoError(t, err)
			require.NoError(t, imageio.WriteFloat32(out, floats))
			require.NoError(t, out.Close())

			var names []string
			for n := range truth {
				names = append(names, n)
			}
			selectMode := []string{"all", "spots"}[seed%2]
			fit := func(data string) refineResult {
				args := append([]string{"refine", "-data", data, "-expt_in", list, "-refine", strings.Join(names, ",") + ",scale",
					"-select", selectMode, "-shoebox", "2", "-out", data + ".json",
					// A loose prior on the group's turn (1 degree), as a refinement of a known detector carries.
					"-restraint", fmt.Sprintf("group%d_rot_normal=0,1", half+1)}, quad4Model...)
				res := mustRun(t, dir, args...)
				require.Contains(t, res.stdout, "used (")
				return readRefineJSON(t, filepath.Join(dir, data+".json"))
			}
			cbf, bin := fit("data.cbf"), fit("data.bin")
			require.Len(t, cbf.Parameters, len(truth)+1, "the motions refined and the scale, no other")
			for n, p := range cbf.Parameters {
				want, ok := truth[n]
				if !ok {
					want = 1 // scale
				}
				pull := (p.Value - want) / p.Sigma
				if !(math.Abs(pull) < 3) {
					t.Errorf("%s = %g +- %g, truth %g (%.1f sigma)", n, p.Value, p.Sigma, want, pull)
				}
				t.Logf("%s = %.5g +- %.2g, truth %g (%+.1f sigma)", n, p.Value, p.Sigma, want, pull)
				// The same counts make the same fit, bit for bit.
				require.Equal(t, p.Value, bin.Parameters[n].Value, n)
			}
		})
	}
}

// TestRefinePanelsBadInput: multi-panel data that do not fit the -expt_in
// detector, or come without it, and what a multi-panel fit cannot do, are
// refused with one line and exit status 2, writing nothing.
func TestRefinePanelsBadInput(t *testing.T) {
	dir := t.TempDir()
	list, err := filepath.Abs(quad4)
	require.NoError(t, err)
	mustRun(t, dir, append([]string{"-expt_in", list, "-cbffile", "data.cbf", "-floatfile", "data.bin"}, quad4Model...)...)
	// A one-panel list and frame (40x40 pixels).
	mustRun(t, dir, strings.Fields("-cell 50 60 70 90 90 90 -default_F 100 -N 5 -detpixels 40 -pixel 0.5 -distance 60 -nopgm -noprogress -expt one.expt -floatfile one.bin")...)
	// Three panels: the list without its last panel.
	d := quad4JSON(t)
	det := d["detector"].([]any)[0].(map[string]any)
	det["panels"] = det["panels"].([]any)[:3]
	halves := det["hierarchy"].(map[string]any)["children"].([]any)
	h1 := halves[1].(map[string]any)
	h1["children"] = h1["children"].([]any)[:1]
	writeJSON(t, filepath.Join(dir, "three.expt"), d)
	// Panel 2 of 24x20 pixels.
	d = quad4JSON(t)
	det = d["detector"].([]any)[0].(map[string]any)
	det["panels"].([]any)[2].(map[string]any)["image_size"] = []any{24, 20}
	writeJSON(t, filepath.Join(dir, "short.expt"), d)

	fit := "-refine panel1_dist,scale -out r.json"
	for _, c := range []struct{ name, args, msg string }{
		{"no expt_in", "-data data.cbf", "-data data.cbf: a multi-panel CBF of 4 arrays; give its detector with -expt_in"},
		{"one-panel list", "-data data.cbf -expt_in one.expt", "a multi-panel CBF of 4 arrays; the -expt_in detector has one panel"},
		{"panel count", "-data data.cbf -expt_in three.expt", "4 arrays (panels), the detector has 3 panels"},
		{"panel size", "-data data.cbf -expt_in short.expt", "array 2 is 24x24 pixels (fast x slow), the detector's panel 2 24x20"},
		{"float size", "-data data.bin -expt_in three.expt", "9216 bytes (2304 floats), the 3 panels have 1728 pixels in all"},
		{"one-panel frame", "-data one.bin -expt_in " + list, "6400 bytes (1600 floats), the 4 panels have 2304 pixels in all"},
		{"unknown motion", "-data data.cbf -expt_in " + list + " -refine panel4_dist", "-refine: panel4_dist is not a motion of a panel or group of this detector (4 panels)"},
		{"png", "-data data.cbf -expt_in " + list + " -png fit.png", "-png: draws one panel's image; the -expt_in detector has 4 panels"},
		{"select found", "-data data.cbf -expt_in " + list + " -select found", "-select found: finds or takes spots on one panel"},
		{"spots stage", "-data data.cbf -expt_in " + list + " -strategy spots,all", "-strategy: the spots stage fits the centroids on one panel"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(append(append([]string{"refine"}, strings.Fields(fit)...), quad4Model...), strings.Fields(c.args)...)
			res := runIn(t, dir, args...)
			require.Empty(t, res.panicked)
			require.Equal(t, 2, res.code, res.stderr)
			require.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
			require.Contains(t, res.stderr, c.msg)
			require.NoFileExists(t, filepath.Join(dir, "r.json"))
			require.NoFileExists(t, filepath.Join(dir, "fit.png"))
		})
	}
}

// TestSelectPanelSpots: -select spots on a multi-panel model takes each
// panel's shoeboxes on its own grid: a spot in a panel's last row or
// column selects no pixel of the next panel, and each panel's selection
// is what SelectSpots gives on it alone.
func TestSelectPanelSpots(t *testing.T) {
	sizes := [][2]int{{6, 4}, {5, 3}}
	for _, c := range []struct {
		name string
		spot int // the bright pixel's index in the panels one after another
	}{{"last row of panel 0", 3*6 + 2}, {"last column of panel 0", 1*6 + 5}, {"first pixel of panel 1", 24}, {"corner of panel 1", 24 + 2*5 + 4}} {
		t.Run(c.name, func(t *testing.T) {
			mu := make([]float64, 24+15)
			for i := range mu {
				mu[i] = 1
			}
			mu[c.spot] = 100
			got := selectPanelSpots(mu, sizes, 1)
			require.NotEmpty(t, got)
			inPanel0 := c.spot < 24
			for _, i := range got {
				require.Equal(t, inPanel0, i < 24, "pixel %d selected for a spot at %d", i, c.spot)
			}
			off, z := 0, sizes[0]
			if !inPanel0 {
				off, z = 24, sizes[1]
			}
			want := refineSelectOn(mu[off:off+z[0]*z[1]], z)
			require.Len(t, got, len(want))
			for k, i := range want {
				require.Equal(t, off+i, got[k])
			}
		})
	}
}

// refineSelectOn is SelectSpots of one panel with a shoebox of half-width 1.
func refineSelectOn(mu []float64, z [2]int) []int {
	return refine.SelectSpots(mu, z[0], z[1], 1, refine.SpotThreshold{})
}
