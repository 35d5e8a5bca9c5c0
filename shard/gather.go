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

// Span is a run of item (or shard) numbers, First to Last inclusive.
type Span struct{ First, Last int }

// Coverage is what Check found: every list is empty for a complete dataset.
// Its size grows with the manifests' items, never with the numbers they
// claim: the missing items and absent shards are runs.
type Coverage struct {
	// Missing items, in runs of increasing number.
	Missing []Span
	// Duplicated item numbers and the manifests that list each.
	Duplicated map[int][]string
	// Corrupt names files that are absent or differ from their manifest.
	Corrupt []string
	// Unfinished names the shards whose manifest does not say complete, and
	// Absent the shards that have no manifest at all: "INDEX/COUNT", or
	// "LO/COUNT-HI/COUNT" for a run of more than two.
	Unfinished, Absent []string
}

// OK is true when the dataset is covered exactly once by intact files.
func (c *Coverage) OK() bool {
	return len(c.Missing)+len(c.Duplicated)+len(c.Corrupt) == 0
}

// Open reads every manifest in dir (ManifestGlob), each checked on its own
// (ReadManifest) and against the others (see assemble). They must all
// belong to one dataset. An untrustworthy manifest is a *config.UsageError.
func Open(dir string) (*Dataset, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	paths, err := filepath.Glob(filepath.Join(dir, ManifestGlob))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no shard manifest (%s); run the shards with -shard first", dir, ManifestGlob)
	}
	sort.Strings(paths)
	ms := make([]*Manifest, len(paths))
	for i, p := range paths {
		if ms[i], err = ReadManifest(p); err != nil {
			return nil, err
		}
	}
	return assemble(dir, paths, ms)
}

// assemble checks the manifests of one folder against each other and
// indexes their items: each is named after its own shard and the first
// one's stem, all belong to the first one's dataset (so they agree on the
// command line and the items First..Last), an item listed by several
// manifests lists the same files in each, and a file belongs to one item.
func assemble(dir string, paths []string, ms []*Manifest) (*Dataset, error) {
	d := &Dataset{Dir: dir, Items: map[int][]int{}}
	stem := manifestStem(filepath.Base(paths[0]))
	owner := map[string]int{} // file path -> the item that lists it
	for k, m := range ms {
		p := paths[k]
		if want := ManifestName(stem, Spec{Index: m.Shard.Index, Count: m.Shard.Count}); filepath.Base(p) != want {
			return nil, badManifest(p, "it says shard %d/%d of %s, whose manifest is %s", m.Shard.Index, m.Shard.Count, stem, want)
		}
		if k > 0 && m.Dataset != ms[0].Dataset {
			return nil, badManifest(p, "another dataset than %s's (%q, not %q): keep one dataset per folder",
				filepath.Base(paths[0]), clip(strings.Join(m.Command, " ")), clip(strings.Join(ms[0].Command, " ")))
		}
		for _, it := range m.Items {
			if prev := d.Items[it.Number]; len(prev) > 0 {
				if other := ms[prev[0]].item(it.Number); !sameFilePaths(other.Files, it.Files) {
					return nil, badManifest(p, "%s %d's files differ from those %s lists for it", m.Unit, it.Number, filepath.Base(paths[prev[0]]))
				}
			}
			for _, f := range it.Files {
				if n, ok := owner[f.Path]; ok && n != it.Number {
					return nil, badManifest(p, "%s %d lists the file %q, which another manifest lists for %s %d", m.Unit, it.Number, clip(f.Path), m.Unit, n)
				}
				owner[f.Path] = it.Number
			}
			d.Items[it.Number] = append(d.Items[it.Number], k)
		}
		d.Manifests = append(d.Manifests, m)
		d.Paths = append(d.Paths, p)
	}
	return d, nil
}

// item returns the manifest's item n (which it lists).
func (m *Manifest) item(n int) Item {
	k := sort.Search(len(m.Items), func(i int) bool { return m.Items[i].Number >= n })
	return m.Items[k]
}

func sameFilePaths(a, b []File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path {
			return false
		}
	}
	return true
}

// First returns the manifest that describes the dataset (all agree on it).
func (d *Dataset) First() *Manifest { return d.Manifests[0] }

// Check reports whether the manifests cover First..Last exactly once; with
// verify it also re-hashes every file against its manifest.
func (d *Dataset) Check(verify bool) *Coverage {
	c := &Coverage{Duplicated: map[int][]string{}}
	m0 := d.First()
	listed := make([]int, 0, len(d.Items))
	for n := range d.Items {
		listed = append(listed, n)
	}
	sort.Ints(listed)
	next := m0.First // the first number not yet accounted for
	for _, n := range listed {
		if n > next {
			c.Missing = append(c.Missing, Span{next, n - 1})
		}
		next = n + 1
		if owners := d.Items[n]; len(owners) > 1 {
			for _, i := range owners {
				c.Duplicated[n] = append(c.Duplicated[n], filepath.Base(d.Paths[i]))
			}
		}
	}
	if next <= m0.Last {
		c.Missing = append(c.Missing, Span{next, m0.Last})
	}
	present := map[int][]int{} // count -> indices with a manifest
	for i, m := range d.Manifests {
		present[m.Shard.Count] = append(present[m.Shard.Count], m.Shard.Index)
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
		indices := present[k]
		sort.Ints(indices)
		next := 0
		for _, i := range indices {
			c.Absent = append(c.Absent, shardRun(next, i-1, k)...)
			next = i + 1
		}
		c.Absent = append(c.Absent, shardRun(next, k-1, k)...)
	}
	return c
}

// shardRun names shards lo..hi of count (none when hi < lo): one by one
// ("1/4", "2/4") up to two, else as a run ("1/8-5/8").
func shardRun(lo, hi, count int) []string {
	if hi-lo+1 > 2 {
		return []string{Spec{lo, count}.String() + "-" + Spec{hi, count}.String()}
	}
	var out []string
	for i := lo; i <= hi; i++ {
		out = append(out, Spec{i, count}.String())
	}
	return out
}

// Len is the number of items in the runs.
func Len(spans []Span) int {
	n := 0
	for _, s := range spans {
		n += s.Last - s.First + 1
	}
	return n
}

// FormatSpans writes runs as "1-4, 7, 9-10".
func FormatSpans(spans []Span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		if s.First == s.Last {
			parts[i] = fmt.Sprint(s.First)
		} else {
			parts[i] = fmt.Sprintf("%d-%d", s.First, s.Last)
		}
	}
	return strings.Join(parts, ", ")
}

// Ranges writes item numbers (sorted) as "1-4, 7, 9-10".
func Ranges(numbers []int) string {
	var spans []Span
	for i := 0; i < len(numbers); {
		j := i
		for j+1 < len(numbers) && numbers[j+1] == numbers[j]+1 {
			j++
		}
		spans = append(spans, Span{numbers[i], numbers[j]})
		i = j + 1
	}
	return FormatSpans(spans)
}
