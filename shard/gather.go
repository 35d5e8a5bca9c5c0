package shard

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dataset is what the manifests of one directory say about its dataset.
type Dataset struct {
	Dir       string
	Manifests []*Manifest
	// Paths are the manifests' file names, in the order of Manifests.
	Paths []string
	// Items maps each item number to the manifests (indices) that list it.
	Items map[int][]int
}

// Coverage is what Check found: every list is empty for a complete dataset.
type Coverage struct {
	// Missing item numbers, in increasing order.
	Missing []int
	// Duplicated item numbers and the manifests that list each.
	Duplicated map[int][]string
	// Corrupt names files that are absent or differ from their manifest.
	Corrupt []string
	// Unfinished names the shards whose manifest does not say complete, and
	// Absent the shards (INDEX/COUNT) that have no manifest at all.
	Unfinished, Absent []string
}

// OK is true when the dataset is covered exactly once by intact files.
func (c *Coverage) OK() bool {
	return len(c.Missing)+len(c.Duplicated)+len(c.Corrupt) == 0
}

// Open reads every manifest in dir (ManifestGlob). They must all belong
// to one dataset.
func Open(dir string) (*Dataset, error) {
	paths, err := filepath.Glob(filepath.Join(dir, ManifestGlob))
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no shard manifest (%s); run the shards with -shard first", dir, ManifestGlob)
	}
	sort.Strings(paths)
	d := &Dataset{Dir: dir, Items: map[int][]int{}}
	for _, p := range paths {
		m, err := ReadManifest(p)
		if err != nil {
			return nil, err
		}
		if len(d.Manifests) > 0 {
			first := d.Manifests[0]
			if m.Dataset != first.Dataset {
				return nil, fmt.Errorf("%s and %s belong to different datasets (%q and %q): keep one dataset per directory",
					filepath.Base(d.Paths[0]), filepath.Base(p), strings.Join(first.Command, " "), strings.Join(m.Command, " "))
			}
		}
		for _, it := range m.Items {
			d.Items[it.Number] = append(d.Items[it.Number], len(d.Manifests))
		}
		d.Manifests = append(d.Manifests, m)
		d.Paths = append(d.Paths, p)
	}
	return d, nil
}

// First returns the manifest that describes the dataset (all agree on it).
func (d *Dataset) First() *Manifest { return d.Manifests[0] }

// Check reports whether the manifests cover First..Last exactly once; with
// verify it also re-hashes every file against its manifest.
func (d *Dataset) Check(verify bool) *Coverage {
	c := &Coverage{Duplicated: map[int][]string{}}
	m0 := d.First()
	for n := m0.First; n <= m0.Last; n++ {
		switch owners := d.Items[n]; {
		case len(owners) == 0:
			c.Missing = append(c.Missing, n)
		case len(owners) > 1:
			for _, i := range owners {
				c.Duplicated[n] = append(c.Duplicated[n], filepath.Base(d.Paths[i]))
			}
		}
	}
	present := map[int]map[int]bool{} // count -> indices with a manifest
	for i, m := range d.Manifests {
		if present[m.Shard.Count] == nil {
			present[m.Shard.Count] = map[int]bool{}
		}
		present[m.Shard.Count][m.Shard.Index] = true
		if !m.Complete {
			c.Unfinished = append(c.Unfinished, fmt.Sprintf("%s (%d of %d %ss)", filepath.Base(d.Paths[i]), len(m.Items), max(0, m.Shard.Hi-m.Shard.Lo+1), m.Unit))
		}
		if verify {
			for _, it := range m.Items {
				if err := it.Verify(d.Dir); err != nil {
					c.Corrupt = append(c.Corrupt, fmt.Sprintf("%s %d: %v", m.Unit, it.Number, err))
				}
			}
		}
	}
	counts := make([]int, 0, len(present))
	for k := range present {
		counts = append(counts, k)
	}
	sort.Ints(counts)
	for _, k := range counts {
		for i := 0; i < k; i++ {
			if !present[k][i] {
				c.Absent = append(c.Absent, fmt.Sprintf("%d/%d", i, k))
			}
		}
	}
	return c
}

// Ranges writes item numbers (sorted) as "1-4, 7, 9-10".
func Ranges(numbers []int) string {
	var parts []string
	for i := 0; i < len(numbers); {
		j := i
		for j+1 < len(numbers) && numbers[j+1] == numbers[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprint(numbers[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", numbers[i], numbers[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
