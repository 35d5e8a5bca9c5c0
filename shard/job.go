package shard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"gobragg/config"
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
// Before any work (nothing is written when it refuses) it checks the
// folder and the outputs (see preflight); a refusal is a
// *config.UsageError.
func (j *Job) Run() (*Manifest, error) {
	lo, hi, _ := j.Shard.Block(j.First, j.Last)
	path := j.ManifestPath()
	m := &Manifest{Format: Format, Kind: j.Kind, Unit: j.Unit, Dataset: DatasetID(j.Command),
		Command: j.Command, First: j.First, Last: j.Last}
	m.Shard.Index, m.Shard.Count, m.Shard.Lo, m.Shard.Hi = j.Shard.Index, j.Shard.Count, lo, hi
	m.Host, _ = os.Hostname()
	m.Workdir, _ = os.Getwd()

	if err := m.check(); err != nil {
		return nil, fmt.Errorf("shard %s of %s: its manifest would be refused: %v", j.Shard, j.Kind, err)
	}
	old, err := j.preflight(m, lo, hi)
	if err != nil {
		return nil, err
	}
	done := map[int]Item{}
	if old != nil {
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

// preflight checks, before the job writes anything, that the manifests
// in the folder are this dataset's (their headers, readHeader: the cost of
// a shard's start does not grow with the other shards' items; gather
// checks them whole) and that the shard's own earlier manifest, which it
// reuses, can be trusted (ReadManifest); and that every output of the
// block is inside the folder and, when it exists, a regular file: a shard
// reads back and hashes what it writes, and a named pipe would block that
// read forever. It returns the shard's own earlier manifest (nil when
// there is none).
func (j *Job) preflight(m *Manifest, lo, hi int) (*Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(j.Dir, ManifestGlob))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var old *Manifest
	for _, p := range paths {
		var other *Manifest
		if p == j.ManifestPath() {
			old, err = ReadManifest(p)
			other = old
		} else {
			other, err = readHeader(p)
		}
		if err != nil {
			return nil, err
		}
		if other.Dataset != m.Dataset {
			return nil, &config.UsageError{Msg: fmt.Sprintf("%s: %s is the manifest of another command line (%q): a different command line in the same folder is refused; write to another folder or remove that dataset",
				j.Dir, filepath.Base(p), clip(strings.Join(other.Command, " ")))}
		}
	}
	for n := lo; n <= hi; n++ {
		if _, err := j.relativeOutputs(n); err != nil {
			return nil, err
		}
		for _, o := range j.Outputs(n) {
			if st, err := os.Stat(o); err == nil && !st.Mode().IsRegular() {
				return nil, &config.UsageError{Msg: fmt.Sprintf("%s %d: %s exists and is %s, not a regular file: a shard reads back and hashes every file it writes; remove it or write elsewhere",
					j.Unit, n, o, describeMode(st.Mode()))}
			}
		}
	}
	return old, nil
}

// relativeOutputs returns item n's outputs relative to the manifest's
// directory, with slashes; an output outside it is refused.
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
		if !fs.ValidPath(rel[i]) || rel[i] == "." {
			return nil, &config.UsageError{Msg: fmt.Sprintf("%s %d: output %s is outside %s, the folder of the shard's manifest: with -shard every output must be in that folder or below it, so that the folder holds the whole dataset",
				j.Unit, n, o, j.Dir)}
		}
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
