package shard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gobragg/imageio"
)

// Job is one shard's share of a dataset: which items, how to make one, and
// where the manifest goes. Run renders the items of the block that are not
// already complete.
type Job struct {
	// Kind and Unit are recorded in the manifest ("sweep", "frame").
	Kind, Unit string
	// Command is the dataset's command line without -shard; its hash
	// identifies the dataset.
	Command []string
	// First and Last are the dataset's item numbers (inclusive).
	First, Last int
	Shard       Spec
	// Dir holds the manifest; Name is the dataset's stem in its file name.
	Dir, Name string
	// Outputs returns the paths of the files item n writes.
	Outputs func(n int) []string
	// Render makes item n's files, each written atomically, and returns
	// the seeds it used (see Item.Seeds).
	Render func(n int) (seeds map[string]int64, err error)
	// Log gets one line per item skipped because it was already complete.
	Log io.Writer
	// KeepGoing renders the rest of the block after an item fails (each
	// shot of a refinement stands alone); Run then returns an error naming
	// the failed items. Without it Run stops at the first failure.
	KeepGoing bool
}

// ManifestPath returns where the job keeps its manifest.
func (j *Job) ManifestPath() string { return filepath.Join(j.Dir, ManifestName(j.Name, j.Shard)) }

// Run renders the block's items in increasing number, skipping those that
// an earlier run of the same shard of the same dataset completed and whose
// files still match the manifest, and rewrites the manifest after each.
// It refuses a manifest left by a different dataset.
func (j *Job) Run() (*Manifest, error) {
	lo, hi, _ := j.Shard.Block(j.First, j.Last)
	path := j.ManifestPath()
	m := &Manifest{Format: Format, Kind: j.Kind, Unit: j.Unit, Dataset: DatasetID(j.Command),
		Command: j.Command, First: j.First, Last: j.Last}
	m.Shard.Index, m.Shard.Count, m.Shard.Lo, m.Shard.Hi = j.Shard.Index, j.Shard.Count, lo, hi
	m.Host, _ = os.Hostname()
	m.Workdir, _ = os.Getwd()

	done := map[int]Item{}
	old, err := ReadManifest(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case old.Dataset != m.Dataset:
		return nil, fmt.Errorf("%s belongs to another dataset (%s): remove it or write to another directory",
			path, strings.Join(old.Command, " "))
	default:
		for _, it := range old.Items {
			done[it.Number] = it
		}
	}
	if err := os.MkdirAll(j.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := j.removeStaleTemporaries(lo, hi, path); err != nil {
		return nil, err
	}
	if err := WriteManifest(path, m); err != nil {
		return nil, err
	}
	var failed []int
	for n := lo; n <= hi; n++ {
		files, err := j.relativeOutputs(n)
		if err != nil {
			return nil, err
		}
		if it, ok := done[n]; ok && sameFiles(it.Files, files) && it.Verify(j.Dir) == nil {
			if j.Log != nil {
				fmt.Fprintf(j.Log, "%s %d: complete (%s), skipped\n", j.Unit, n, files[0])
			}
			m.add(it)
			continue
		}
		start := time.Now()
		seeds, err := j.Render(n)
		if err != nil && j.KeepGoing {
			if j.Log != nil {
				fmt.Fprintf(j.Log, "%s %d: failed: %v\n", j.Unit, n, err)
			}
			failed = append(failed, n)
			continue
		}
		if err != nil {
			return nil, err
		}
		it := Item{Number: n, Seeds: seeds, WallSeconds: time.Since(start).Seconds()}
		for _, f := range files {
			size, sum, err := HashFile(filepath.Join(j.Dir, filepath.FromSlash(f)))
			if err != nil {
				return nil, fmt.Errorf("%s %d: output %v", j.Unit, n, err)
			}
			it.Files = append(it.Files, File{Path: f, Bytes: size, SHA256: sum})
		}
		m.add(it)
		if err := WriteManifest(path, m); err != nil {
			return nil, err
		}
	}
	if len(failed) > 0 {
		return m, fmt.Errorf("%d %ss of shard %s failed: %s (the manifest lists the others)", len(failed), j.Unit, j.Shard, Ranges(failed))
	}
	m.Complete = true
	return m, WriteManifest(path, m)
}

func (m *Manifest) add(it Item) {
	m.Items = append(m.Items, it)
	m.WallSeconds += it.WallSeconds
}

// relativeOutputs returns item n's outputs relative to the manifest's
// directory, with slashes.
func (j *Job) relativeOutputs(n int) ([]string, error) {
	outs := j.Outputs(n)
	if len(outs) == 0 {
		return nil, fmt.Errorf("%s %d: no output file", j.Unit, n)
	}
	rel := make([]string, len(outs))
	for i, o := range outs {
		r, err := filepath.Rel(j.Dir, o)
		if err != nil {
			return nil, fmt.Errorf("%s %d: output %s: %v", j.Unit, n, o, err)
		}
		rel[i] = filepath.ToSlash(r)
	}
	return rel, nil
}

func sameFiles(recorded []File, paths []string) bool {
	return slices.EqualFunc(recorded, paths, func(f File, p string) bool { return f.Path == p })
}

// removeStaleTemporaries deletes the temporary files that a killed run of
// this shard may have left beside its outputs and its manifest (atomic
// writes name them, imageio.TemporaryTarget). Other shards' items have other
// names, so their temporaries are left alone.
func (j *Job) removeStaleTemporaries(lo, hi int, manifest string) error {
	targets := map[string]map[string]bool{} // directory -> base names
	addTarget := func(p string) {
		d, b := filepath.Split(p)
		if targets[d] == nil {
			targets[d] = map[string]bool{}
		}
		targets[d][b] = true
	}
	addTarget(manifest)
	for n := lo; n <= hi; n++ {
		for _, o := range j.Outputs(n) {
			addTarget(o)
		}
	}
	for d, bases := range targets {
		dir := d
		if dir == "" {
			dir = "."
		}
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := e.Name()
			if base, ok := imageio.TemporaryTarget(name); ok && bases[base] && e.Type().IsRegular() {
				if err := os.Remove(filepath.Join(dir, name)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
