package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gobragg/shard"
)

// refineShardArgs refines distance and scale of each frame of a 4-frame
// sweep of refineSim on its own, from a distance 0.4 mm off.
func refineShardArgs(dir string) []string {
	args := []string{"refine", "-shots", "4", "-data", filepath.Join(dir, "f_###.img"),
		"-out", filepath.Join(dir, "res", "f_###.json"), "-refine", "distance,scale"}
	for i := 0; i < len(refineSim); i++ {
		if refineSim[i] == "-distance" {
			args = append(args, "-distance", "100.4")
			i++
			continue
		}
		args = append(args, refineSim[i])
	}
	return args
}

// Per-shot refinement in shards, in any order, gives each shot the values
// a refinement of that shot alone gives, and gather merges them into one
// table; a re-run skips the shots already refined.
func TestRefineShards(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, append([]string{"sweep", "-frames", "4", "-osc", "0.5", "-seed", "4", "-template",
		filepath.Join(dir, "f_###.img")}, refineSim...)...)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "res"), 0o755))

	t.Setenv(shard.KubernetesIndexVar, "")
	t.Setenv(shard.SlurmIndexVar, "1")
	mustRun(t, dir, append(refineShardArgs(dir), "-shard", "auto/2")...)
	res := mustRun(t, dir, append(refineShardArgs(dir), "-shard", "0/2")...)
	assert.Contains(t, res.stdout, "shard 0/2: shots 1-2 complete")
	again := mustRun(t, dir, append(refineShardArgs(dir), "-shard", "1/2")...)
	assert.Contains(t, again.stdout, "shot 3: complete (f_003.json), skipped")

	// Shot 3 refined alone, with the one-shot command line.
	alone := filepath.Join(t.TempDir(), "alone.json")
	one := refineShardArgs(dir)[3:]
	one[1], one[3] = filepath.Join(dir, "f_003.img"), alone
	mustRun(t, dir, append([]string{"refine"}, one...)...)
	type result struct {
		Parameters map[string]struct{ Value, Sigma float64 }
	}
	read := func(path string) result {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		var r result
		require.NoError(t, json.Unmarshal(b, &r))
		return r
	}
	assert.Equal(t, read(alone), read(filepath.Join(dir, "res", "f_003.json")), "the shard's shot 3 is the one-shot refinement")

	res = mustRun(t, dir, "gather", filepath.Join(dir, "res"))
	assert.Contains(t, res.stdout, "refine of 4 shots (1-4), 2 manifests")
	f, err := os.Open(filepath.Join(dir, "res", "f.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		d, _ := strconv.ParseFloat(row[col["distance"]], 64)
		s, _ := strconv.ParseFloat(row[col["distance_sigma"]], 64)
		assert.Less(t, math.Abs(d-100), 3*s, "shot %s: distance %g +- %g, truth 100", row[0], d, s)
		assert.Equal(t, "100.4", row[col["distance_start"]])
	}
	assert.FileExists(t, filepath.Join(dir, "res", "f_parameters.png"))
}

func TestRefineShardBadInput(t *testing.T) {
	dir := t.TempDir()
	base := refineShardArgs(dir)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{append(base[:len(base):len(base)], "-shard", "0/2", "-out", "r.json"), "-out r.json: with -shard it must name each shot's file"},
		{append(append([]string(nil), base[:1]...), append(base[3:], "-shard", "0/2")...), "-shard and -shots go together"},
		{append(base[:len(base):len(base)], "-shard", "2/2"), "outside 0..1"},
		{append(base[:len(base):len(base)], "-shard", "0/2", "-png", "f_##_#.png"), "more than one run of '#'"},
		{append(strings.Fields("refine -shots 1000 -shard 0/2 -data d_##.img -out o_##.json"), refineSim...), "frame 1000 does not fit in 2 digits"},
	} {
		res := runIn(t, dir, c.args...)
		assert.Equal(t, 2, res.code, "%v", c.args)
		assert.Contains(t, res.stderr, c.msg)
		assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	}
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "nothing written")
}

// Stills refined shot by shot from the experiment list gobragg stills
// wrote: each shot starts from its own crystal (the experiment whose image
// is the shot's data) and recovers scale and orientation within 3
// standard errors; a shot with no experiment fails alone, by name.
func TestRefineShardsOfStills(t *testing.T) {
	dir := t.TempDir()
	model := strings.Fields("-default_F 100 -N 5 -oversample 1 -fluence 1e29")
	mustRun(t, dir, append([]string{"stills", "-n", "3", "-seed", "6", "-expt", filepath.Join(dir, "shots.expt"),
		"-template", filepath.Join(dir, "shot_##.img"), "-cell", "70", "80", "90", "90", "90", "90", "-lambda", "1",
		"-distance", "100", "-pixel", "0.3", "-detpixels", "48"}, model...)...)
	// A fourth image that the experiment list does not know.
	b, err := os.ReadFile(filepath.Join(dir, "shot_03.img"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "shot_04.img"), b, 0o644))

	args := append([]string{"refine", "-shots", "4", "-shard", "0/1", "-expt_in", filepath.Join(dir, "shots.expt"),
		"-data", filepath.Join(dir, "shot_##.img"), "-out", filepath.Join(dir, "res", "shot_##.json"),
		"-refine", "scale,misset_x,misset_y"}, model...)
	res := runIn(t, dir, args...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "1 shots of shard 0/1 failed: 4")
	assert.Contains(t, res.stdout, "shot 4: failed: -expt_in "+filepath.Join(dir, "shots.expt")+": no experiment has the image")
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "gobragg-shot-*"))
	assert.Empty(t, left, "per-shot experiment files are removed")

	m, err := shard.ReadManifest(filepath.Join(dir, "res", "shot.shard-0-of-1.json"))
	require.NoError(t, err)
	require.Len(t, m.Items, 3)
	for _, it := range m.Items {
		b, err := os.ReadFile(filepath.Join(dir, "res", it.Files[0].Path))
		require.NoError(t, err)
		var r struct {
			Parameters map[string]struct{ Value, Sigma float64 }
		}
		require.NoError(t, json.Unmarshal(b, &r))
		for name, truth := range map[string]float64{"scale": 1, "misset_x": 0, "misset_y": 0} {
			p := r.Parameters[name]
			assert.Less(t, math.Abs(p.Value-truth), 3*p.Sigma, "shot %d: %s = %g +- %g, truth %g", it.Number, name, p.Value, p.Sigma, truth)
		}
	}
}

// A shot whose experiment the list cannot give fails by the user's list
// and its fields, never by the temporary one-experiment file a shot reads.
func TestRefineShardNamesTheUsersList(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "shots.expt")
	model := strings.Fields("-default_F 100 -N 3 -oversample 1")
	mustRun(t, dir, append([]string{"stills", "-n", "2", "-seed", "6", "-expt", list, "-template", filepath.Join(dir, "shot_#.img"),
		"-cell", "70", "80", "90", "90", "90", "90", "-distance", "100", "-pixel", "0.3", "-detpixels", "8"}, model...)...)
	b, err := os.ReadFile(list)
	require.NoError(t, err)
	var l map[string]any
	require.NoError(t, json.Unmarshal(b, &l))
	l["crystal"].([]any)[0].(map[string]any)["real_space_a"] = []float64{0, 0, 0} // refused by expt
	l["beam"].([]any)[1].(map[string]any)["wavelength"] = 1e5                     // refused by config's range
	b, err = json.Marshal(l)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(list, b, 0o644))

	res := runIn(t, dir, append([]string{"refine", "-shots", "2", "-shard", "0/1", "-expt_in", list,
		"-data", filepath.Join(dir, "shot_#.img"), "-out", filepath.Join(dir, "res", "shot_#.json"), "-refine", "scale"}, model...)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stdout, "shot 1: failed: -expt_in: expt "+list+": crystal[0].real_space_a: [0 0 0] Å has no length")
	assert.Contains(t, res.stderr, "-expt_in: expt "+list+" (experiment[1] alone): beam[0].wavelength: value 100000 A is outside the valid range")
	assert.NotContains(t, res.stdout+res.stderr, "gobragg-shot-")
}

// A shot whose fit does not converge is done, not failed: the shard names
// it, exits 0, keeps its result with "converged": false, and gather's
// table and plot say so.
func TestRefineShardsNotConverged(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, append([]string{"sweep", "-frames", "2", "-osc", "0.5", "-seed", "4", "-template",
		filepath.Join(dir, "f_###.img")}, refineSim...)...)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "res", ""), 0o755))
	args := refineShardArgs(dir)
	args[2] = "2" // -shots 2
	res := mustRun(t, dir, append(args, "-shard", "0/1", "-max_iter", "1", "-strategy", "all")...)
	assert.Contains(t, res.stdout, "shot 1 did not converge: iteration limit")
	assert.Contains(t, res.stdout, "shot 2 did not converge: iteration limit")
	assert.Contains(t, res.stdout, "shard 0/1: shots 1-2 complete")
	g := mustRun(t, dir, "gather", filepath.Join(dir, "res"))
	assert.Contains(t, g.stdout, "2 shots did not converge")
	f, err := os.Open(filepath.Join(dir, "res", "f.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		assert.Equal(t, "false", row[col["converged"]])
		assert.Equal(t, "iteration limit", row[col["reason"]])
		assert.Equal(t, "", row[col["distance_sigma"]], "no sigma for a fit that did not converge")
	}
}
