package shard

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// checkAccepted fails unless an accepted manifest keeps the invariants
// that Open, Check and gather rely on before they allocate or open
// anything by its numbers and paths.
func checkAccepted(t *testing.T, m *Manifest) {
	t.Helper()
	if m.First < 0 || m.Last < m.First || m.Last-m.First >= MaxItems {
		t.Fatalf("accepted items %d-%d", m.First, m.Last)
	}
	if m.Shard.Count < 1 || m.Shard.Count > MaxCount || m.Shard.Index < 0 || m.Shard.Index >= m.Shard.Count {
		t.Fatalf("accepted shard %d/%d", m.Shard.Index, m.Shard.Count)
	}
	if m.Shard.Lo < m.First || m.Shard.Hi > m.Last || len(m.Items) > max(0, m.Shard.Hi-m.Shard.Lo+1) {
		t.Fatalf("accepted block %d-%d of %d-%d with %d items", m.Shard.Lo, m.Shard.Hi, m.First, m.Last, len(m.Items))
	}
	for k, it := range m.Items {
		if it.Number < m.Shard.Lo || it.Number > m.Shard.Hi || (k > 0 && it.Number <= m.Items[k-1].Number) || len(it.Files) == 0 {
			t.Fatalf("accepted item %d (%d files) at %d in block %d-%d", it.Number, len(it.Files), k, m.Shard.Lo, m.Shard.Hi)
		}
		for _, f := range it.Files {
			if !fs.ValidPath(f.Path) || f.Path == "." || strings.HasPrefix(f.Path, "..") || len(f.SHA256) != 64 || f.Bytes < 0 {
				t.Fatalf("accepted file %+v", f)
			}
		}
	}
}

func encodeManifest(t *testing.T, m *Manifest) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecodeManifest feeds the manifest reader, and the header reader a
// shard uses on the other shards' manifests, arbitrary bytes, seeded with
// a valid manifest and its hostile hand edits (hostileManifests): neither
// may panic, an error must be one line, an accepted manifest must keep the
// invariants (checkAccepted) and, written again, read back unchanged and
// have the header the header reader reads.
func FuzzDecodeManifest(f *testing.F) {
	_, valid := validManifest(f)
	f.Add(valid)
	for _, c := range hostileManifests {
		f.Add(editJSON(f, valid, c.edit))
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`{"format": "gobragg-shard-manifest/1"} {}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, err := decodeHeader(bytes.NewReader(b), "m.json"); err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("a header error of several lines: %q", err)
		} else if err == nil && h.Dataset != DatasetID(h.Command) {
			t.Fatalf("a header accepted with dataset %q for the command line %q", h.Dataset, h.Command)
		}
		m, err := DecodeManifest(bytes.NewReader(b), "m.json")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("an error of several lines: %q", err)
			}
			return
		}
		checkAccepted(t, m)
		// As WriteManifest writes it, its header reads as the whole manifest does.
		h, err := decodeHeader(bytes.NewReader(encodeManifest(t, m)), "m.json")
		if err != nil || h.Dataset != m.Dataset || strings.Join(h.Command, "\x00") != strings.Join(m.Command, "\x00") {
			t.Fatalf("the header of an accepted manifest: %+v, %v", h, err)
		}
		again, err := DecodeManifest(bytes.NewReader(encodeManifest(t, m)), "m.json")
		if err != nil {
			t.Fatalf("an accepted manifest, written again, is refused: %v", err)
		}
		if !bytes.Equal(encodeManifest(t, m), encodeManifest(t, again)) {
			t.Fatal("an accepted manifest reads back changed")
		}
	})
}

// FuzzAssemble fuzzes gather's reading of a folder past the single
// manifests (Open is ReadManifest of each, then assemble): two manifests,
// each named after the shard it claims, are decoded and checked against
// each other; nothing may panic, an error must be one line, and Check of
// what is accepted must account for every item of the dataset in its runs
// without growing with the numbers claimed (its runs are bounded by the
// items listed). Seeded with two valid shards and the hostile edits.
func FuzzAssemble(f *testing.F) {
	dir, m0 := validManifest(f)
	_, err := fakeJob(dir, Spec{1, 2}, nil).Run()
	if err != nil {
		f.Fatal(err)
	}
	m1, err := os.ReadFile(filepath.Join(dir, "frame.shard-1-of-2.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(m0, m1)
	f.Add(m0, m0)
	for _, c := range hostileManifests {
		f.Add(m0, editJSON(f, m1, c.edit))
	}
	// Shard 1/2 listing shard 0/2's file for frame 6.
	f.Add(m0, bytes.Replace(m1, []byte(`"frame_00006.img"`), []byte(`"frame_00001.img"`), 1))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		byName := map[string]*Manifest{}
		for _, raw := range [][]byte{a, b} {
			m, err := DecodeManifest(bytes.NewReader(raw), "m.json")
			if err != nil {
				return // FuzzDecodeManifest's business
			}
			byName[filepath.Join("run", ManifestName("frame", Spec{m.Shard.Index, m.Shard.Count}))] = m
		}
		var paths []string
		for p := range byName {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		ms := make([]*Manifest, len(paths))
		for i, p := range paths {
			ms[i] = byName[p]
		}
		d, err := assemble("run", paths, ms)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("an error of several lines: %q", err)
			}
			return
		}
		listed := 0
		for _, m := range d.Manifests {
			checkAccepted(t, m)
			listed += len(m.Items)
		}
		c := d.Check(false)
		m := d.First()
		if len(d.Items)+Len(c.Missing) != m.Last-m.First+1 {
			t.Fatalf("%d items listed and %d missing of %d-%d", len(d.Items), Len(c.Missing), m.First, m.Last)
		}
		if len(c.Missing) > len(d.Items)+1 || len(c.Absent) > 2*(2*len(d.Manifests)+1) {
			t.Fatalf("%d runs of missing items for %d listed, %d absent entries for %d manifests", len(c.Missing), listed, len(c.Absent), len(d.Manifests))
		}
	})
}
