package shard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gobragg/imageio"
)

// Format names the manifest layout; a reader refuses any other.
const Format = "gobragg-shard-manifest/1"

// ManifestGlob matches the manifests Gather reads in a directory.
const ManifestGlob = "*.shard-*-of-*.json"

// Manifest records what one shard of a dataset has completed. It is
// rewritten (atomically) after every item, so it never lists an item whose
// files are not all in place.
type Manifest struct {
	Format string `json:"format"`
	// Kind is the command that made the dataset: "sweep", "stills" or "refine".
	Kind string `json:"kind"`
	// Unit names an item: "frame" or "shot".
	Unit string `json:"unit"`
	// Dataset is the sha256 of Command: shards of one dataset share it.
	Dataset string `json:"dataset"`
	// Command is the command line that made the dataset, without -shard.
	Command []string `json:"command"`
	// Workdir is the directory the shard ran in, which Command's relative
	// paths are relative to.
	Workdir string `json:"workdir,omitempty"`
	// First and Last are the dataset's item numbers (inclusive), not the shard's.
	First int `json:"first"`
	Last  int `json:"last"`
	Shard struct {
		Index int `json:"index"`
		Count int `json:"count"`
		// Lo and Hi are this shard's block of items (inclusive); Lo > Hi
		// for a shard with nothing to do.
		Lo int `json:"lo"`
		Hi int `json:"hi"`
	} `json:"shard"`
	// Items are the completed items, in increasing number.
	Items []Item `json:"items"`
	// Complete is true once every item of the block is in Items.
	Complete bool `json:"complete"`
	// WallSeconds adds up the items' wall times (over every run that rendered them).
	WallSeconds float64 `json:"wall_seconds"`
	// Host is the machine that last wrote the manifest.
	Host string `json:"host,omitempty"`
}

// Item is one completed frame or shot.
type Item struct {
	Number int `json:"number"`
	// Seeds are the seeds the item was made with, by the option that
	// gives each on the item's one-item command line ("-seed" for the
	// noise, "-misset_seed" for a still's orientation), derived from the
	// dataset's seed and Number; absent for items that draw no random numbers.
	Seeds       map[string]int64 `json:"seeds,omitempty"`
	Files       []File           `json:"files"`
	WallSeconds float64          `json:"wall_seconds"`
}

// File is one output of an item, with its size and content hash.
type File struct {
	// Path is relative to the manifest's directory, with slashes.
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// DatasetID returns the sha256 (hex) of a command line, its arguments
// separated by NUL bytes so that no two argument lists collide.
func DatasetID(command []string) string {
	h := sha256.New()
	for _, a := range command {
		io.WriteString(h, a)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ManifestName returns the manifest's file name for a dataset called name
// (the output template's stem) and shard spec, with zero-padded numbers so
// that a directory listing sorts shards in order.
func ManifestName(name string, s Spec) string {
	w := len(fmt.Sprint(s.Count - 1))
	return fmt.Sprintf("%s.shard-%0*d-of-%0*d.json", name, w, s.Index, w, s.Count)
}

// ReadManifest reads and checks one manifest file.
func ReadManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest %s: %v", path, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("manifest %s: format %q, want %q", path, m.Format, Format)
	}
	if m.Shard.Count < 1 || m.Shard.Index < 0 || m.Shard.Index >= m.Shard.Count || m.Last < m.First {
		return nil, fmt.Errorf("manifest %s: shard %d/%d of items %d-%d makes no sense", path, m.Shard.Index, m.Shard.Count, m.First, m.Last)
	}
	return &m, nil
}

// WriteManifest writes m to path atomically (a reader sees the old or the
// new manifest, never part of one).
func WriteManifest(path string, m *Manifest) error {
	return imageio.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
}

// HashFile returns the size and sha256 (hex) of a file.
func HashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %v", path, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Verify checks that every file of the item exists under dir with the
// recorded size and sha256; the error names the first that does not.
func (it Item) Verify(dir string) error {
	for _, f := range it.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", path)
		}
		if st.Size() != f.Bytes {
			return fmt.Errorf("%s: %d bytes, manifest says %d", path, st.Size(), f.Bytes)
		}
		_, sum, err := HashFile(path)
		if err != nil {
			return err
		}
		if sum != f.SHA256 {
			return fmt.Errorf("%s: sha256 %s, manifest says %s", path, sum[:12], f.SHA256[:12])
		}
	}
	return nil
}
