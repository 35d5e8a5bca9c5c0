package shard

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"gobragg/config"
	"gobragg/imageio"
)

// Format names the manifest layout; a reader refuses any other.
const Format = "gobragg-shard-manifest/1"

// ManifestGlob matches the manifests Gather reads in a directory.
const ManifestGlob = "*.shard-*-of-*.json"

// MaxManifestBytes bounds a manifest file, so that reading one costs at
// most about 100 MB: a shard rewrites its manifest after every item (about
// 300 bytes each), so a block that fills 16 MB (50 000 items) would write
// 400 GB of manifests on the way; a larger file is not a manifest and is
// refused before it is read.
const MaxManifestBytes = 16 << 20

// kinds are the commands that make sharded datasets: the unit of their
// items and the option of their command line that numbers the items.
var kinds = map[string]struct{ unit, rangeOption string }{
	"sweep":  {"frame", "-frames"},
	"stills": {"shot", "-n"},
	"refine": {"shot", "-shots"},
}

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
	// WallSeconds adds up the items' wall times in seconds (over every run
	// that rendered them).
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
	Seeds map[string]int64 `json:"seeds,omitempty"`
	Files []File           `json:"files"`
	// WallSeconds is the time the item took to make, in seconds.
	WallSeconds float64 `json:"wall_seconds"`
}

// File is one output of an item, with its size and content hash.
type File struct {
	// Path is relative to the manifest's directory, with slashes, and
	// inside it (fs.ValidPath).
	Path string `json:"path"`
	// Bytes is the file's size in bytes.
	Bytes int64 `json:"bytes"`
	// SHA256 is the file's sha256 in 64 lower-case hexadecimal digits.
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

// manifestStem is NAME of a manifest file name NAME.shard-I-of-N.json.
func manifestStem(base string) string {
	if i := strings.LastIndex(base, ".shard-"); i >= 0 {
		return base[:i]
	}
	return base
}

// badManifest is the error for a manifest that cannot be trusted: a
// usage error (exit status 2), one line naming the manifest.
func badManifest(path, format string, args ...any) error {
	return &config.UsageError{Msg: "manifest " + path + ": " + fmt.Sprintf(format, args...)}
}

// ReadManifest reads and checks one manifest file (DecodeManifest). A
// path that is not a regular file (a named pipe, a device, a directory)
// is refused without blocking on it.
func ReadManifest(path string) (*Manifest, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxManifestBytes {
		return nil, badManifest(path, "%d bytes, larger than %d (shard.MaxManifestBytes)", st.Size(), MaxManifestBytes)
	}
	return decodeManifest(f, path, st.Size())
}

// DecodeManifest reads one manifest from r, at most MaxManifestBytes, and
// checks it on its own: its kind, unit and dataset id agree with its
// command line, its items First..Last with the command line's range
// option (-frames, -n or -shots), its shard with MaxCount and its block
// with Spec.Block; every item lies in the block, once and in increasing
// number, with at least one file; every file is a path inside the
// manifest's folder (fs.ValidPath), listed by one item only, with a size
// and a sha256. name names the manifest in errors, which are
// *config.UsageError for anything but a failed read.
func DecodeManifest(r io.Reader, name string) (*Manifest, error) {
	return decodeManifest(r, name, 0)
}

// decodeManifest is DecodeManifest with the expected size in bytes (0
// when unknown), so that the buffer is allocated once.
func decodeManifest(r io.Reader, name string, size int64) (*Manifest, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(size, MaxManifestBytes)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxManifestBytes+1)); err != nil {
		return nil, fmt.Errorf("manifest %s: %v", name, err)
	}
	if buf.Len() > MaxManifestBytes {
		return nil, badManifest(name, "larger than %d bytes (shard.MaxManifestBytes)", MaxManifestBytes)
	}
	var m Manifest
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, badManifest(name, "%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badManifest(name, "more after the manifest's JSON object")
	}
	if err := m.check(); err != nil {
		return nil, badManifest(name, "%v", err)
	}
	return &m, nil
}

// readHeader reads the format, dataset id and command line of the manifest
// at path, which WriteManifest puts before the items, without reading the
// rest: what a shard needs to know of the other shards' manifests in its
// folder, at a cost that does not grow with their items.
func readHeader(path string) (*Manifest, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeHeader(bufio.NewReader(f), path)
}

// decodeHeader is readHeader's reading of r; the dataset id must be the
// sha256 of the command line.
func decodeHeader(r io.Reader, name string) (*Manifest, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxManifestBytes))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, badManifest(name, "not a JSON object")
	}
	var h Manifest
	for h.Format == "" || h.Dataset == "" || h.Command == nil {
		if !dec.More() {
			return nil, badManifest(name, "no format, dataset and command")
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, badManifest(name, "%v", err)
		}
		switch tok {
		case "format":
			err = dec.Decode(&h.Format)
		case "dataset":
			err = dec.Decode(&h.Dataset)
		case "command":
			err = dec.Decode(&h.Command)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, badManifest(name, "%v", err)
		}
	}
	if h.Format != Format {
		return nil, badManifest(name, "format %q, want %q", clip(h.Format), Format)
	}
	if h.Dataset != DatasetID(h.Command) {
		return nil, badManifest(name, "dataset %q is not the sha256 of its command line", clip(h.Dataset))
	}
	return &h, nil
}

// check is DecodeManifest's checks of a decoded manifest.
func (m *Manifest) check() error {
	if m.Format != Format {
		return fmt.Errorf("format %q, want %q", clip(m.Format), Format)
	}
	k, ok := kinds[m.Kind]
	if !ok {
		return fmt.Errorf("kind %q is not sweep, stills or refine", clip(m.Kind))
	}
	if m.Unit != k.unit {
		return fmt.Errorf("unit %q, but the items of a %s are %ss", clip(m.Unit), m.Kind, k.unit)
	}
	if len(m.Command) == 0 || m.Command[0] != m.Kind {
		return fmt.Errorf("its command line is not a %s", m.Kind)
	}
	if m.Dataset != DatasetID(m.Command) {
		return fmt.Errorf("dataset %q is not the sha256 of its command line", clip(m.Dataset))
	}
	first, last, err := commandRange(m.Command, k.rangeOption)
	if err != nil {
		return err
	}
	if m.First != first || m.Last != last {
		return fmt.Errorf("%ss %d-%d, but its command line's %s says %d-%d", m.Unit, m.First, m.Last, k.rangeOption, first, last)
	}
	s := Spec{Index: m.Shard.Index, Count: m.Shard.Count}
	if s.Count < 1 || s.Count > MaxCount || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want INDEX/COUNT with 0 <= INDEX < COUNT <= %d", s.Index, s.Count, MaxCount)
	}
	lo, hi, _ := s.Block(m.First, m.Last)
	if m.Shard.Lo != lo || m.Shard.Hi != hi {
		return fmt.Errorf("shard %s's block is %d-%d, but it says %d-%d", s, lo, hi, m.Shard.Lo, m.Shard.Hi)
	}
	if m.Workdir != "" && !filepath.IsAbs(m.Workdir) {
		return fmt.Errorf("workdir %q is not an absolute path", clip(m.Workdir))
	}
	if !(m.WallSeconds >= 0) {
		return fmt.Errorf("wall_seconds %g is negative", m.WallSeconds)
	}
	owner := map[string]int{} // file path -> the item that lists it
	for k, it := range m.Items {
		if it.Number < lo || it.Number > hi {
			return fmt.Errorf("%s %d is outside the shard's block %d-%d", m.Unit, it.Number, lo, hi)
		}
		if k > 0 && it.Number <= m.Items[k-1].Number {
			return fmt.Errorf("%s %d follows %s %d: each item is listed once, in increasing number", m.Unit, it.Number, m.Unit, m.Items[k-1].Number)
		}
		if len(it.Files) == 0 {
			return fmt.Errorf("%s %d lists no file", m.Unit, it.Number)
		}
		if !(it.WallSeconds >= 0) {
			return fmt.Errorf("%s %d: wall_seconds %g is negative", m.Unit, it.Number, it.WallSeconds)
		}
		for _, f := range it.Files {
			if err := checkFile(f); err != nil {
				return fmt.Errorf("%s %d: %v", m.Unit, it.Number, err)
			}
			if n, ok := owner[f.Path]; ok {
				return fmt.Errorf("%ss %d and %d both list the file %q", m.Unit, n, it.Number, clip(f.Path))
			}
			owner[f.Path] = it.Number
		}
	}
	if m.Complete && len(m.Items) != max(0, hi-lo+1) {
		return fmt.Errorf("says complete, but lists %d of the %d %ss of its block", len(m.Items), max(0, hi-lo+1), m.Unit)
	}
	return nil
}

// commandRange reads the items First-Last from the value of option in a
// dataset's command line (the last one given, as the command reads it).
func commandRange(command []string, option string) (first, last int, err error) {
	value, found := "", false
	for i := 1; i+1 < len(command); i++ {
		if command[i] == option {
			value, found = command[i+1], true
			i++
		}
	}
	if !found {
		return 0, 0, fmt.Errorf("its command line has no %s", option)
	}
	if first, last, err = ParseRange(value); err != nil {
		return 0, 0, fmt.Errorf("its command line's %s: %v", option, err)
	}
	return first, last, nil
}

// checkFile checks a file's record: a path inside the manifest's folder,
// a size and a sha256.
func checkFile(f File) error {
	switch {
	case f.Path == "":
		return fmt.Errorf("a file has an empty path")
	case filepath.IsAbs(f.Path) || f.Path == ".." || strings.HasPrefix(f.Path, "../") || strings.Contains(f.Path, "/../") || strings.HasSuffix(f.Path, "/.."):
		return fmt.Errorf("file %q leads outside the manifest's folder", clip(f.Path))
	case !fs.ValidPath(f.Path) || f.Path == ".":
		return fmt.Errorf("file %q is not a clean relative path (slashes, no . or .. or empty element)", clip(f.Path))
	case f.Bytes < 0:
		return fmt.Errorf("file %q: size %d bytes", clip(f.Path), f.Bytes)
	case !isSHA256(f.SHA256):
		return fmt.Errorf("file %q: sha256 %q is not 64 lower-case hexadecimal digits", clip(f.Path), clip(f.SHA256))
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// clipLen bounds a string from a manifest quoted in an error, so that a
// hostile megabyte-long field gives a readable one-line message.
const clipLen = 80

// clip returns s, cut to clipLen bytes with "..." when longer.
func clip(s string) string {
	if len(s) <= clipLen {
		return s
	}
	return s[:clipLen] + "..."
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

// ErrNotRegular is wrapped by the errors for a path that names something
// other than a regular file (a named pipe, a device, a directory, a socket).
var ErrNotRegular = errors.New("not a regular file")

// openRegular opens path for reading and refuses anything but a regular
// file (after following symbolic links). The open does not block on a named
// pipe, so that a pipe in a dataset's place is refused instead of waited on;
// the refusal is a *config.UsageError.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &config.UsageError{Msg: fmt.Sprintf("%s: %v (%s)", path, ErrNotRegular, describeMode(st.Mode()))}
	}
	return f, nil
}

// describeMode names the kind of a file that is not regular.
func describeMode(m fs.FileMode) string {
	switch t := m.Type(); {
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeDevice != 0:
		return "a device"
	default:
		return "mode " + t.String()
	}
}

// HashFile returns the size in bytes and the sha256 (hex) of a regular
// file; anything else is refused (openRegular).
func HashFile(path string) (int64, string, error) {
	f, err := openRegular(path)
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

// Verify checks that every file of the item exists under dir, is a
// regular file and has the recorded size and sha256; the error names the
// first that does not.
func (it Item) Verify(dir string) error {
	for _, f := range it.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s: %v (%s)", path, ErrNotRegular, describeMode(st.Mode()))
		}
		if st.Size() != f.Bytes {
			return fmt.Errorf("%s: %d bytes, manifest says %d", path, st.Size(), f.Bytes)
		}
		_, sum, err := HashFile(path)
		if err != nil {
			return err
		}
		if sum != f.SHA256 {
			return fmt.Errorf("%s: sha256 %s, manifest says %s", path, short(sum), short(f.SHA256))
		}
	}
	return nil
}

// short is the first 12 characters of a sha256, as messages show it.
func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	return sum
}

// ReadRegularFile reads a regular file of at most maxBytes (anything but a
// regular file is refused without blocking, see openRegular): for the
// files a manifest lists, whose size the manifest does not bound.
func ReadRegularFile(path string, maxBytes int64) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxBytes)
	}
	return b, nil
}
