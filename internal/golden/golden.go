// Package golden reads the reference outputs of C nanoBragg that parity
// tests compare against: ../shared/golden beside the module root, indexed
// by manifest.json. Tests skip when the folder is absent.
package golden

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// Case is one manifest entry.
type Case struct {
	Name      string   `json:"name"`
	Features  []string `json:"features"`
	Args      []string `json:"args"`
	ExitCode  int      `json:"exit_code"`
	Notes     string   `json:"notes"`
	SMVHeader string   `json:"smv_header"`
	Dims      struct {
		Fast int `json:"fast"`
		Slow int `json:"slow"`
	} `json:"dims"`
	Outputs map[string]struct {
		StoredAs string `json:"stored_as"`
		Bytes    int    `json:"bytes"`
	} `json:"outputs"`
	RoiCrop *struct {
		File    string `json:"file"`
		FastMin int    `json:"fast_min"`
		FastMax int    `json:"fast_max"`
		SlowMin int    `json:"slow_min"`
		SlowMax int    `json:"slow_max"`
	} `json:"roi_crop"`
	Traces []struct {
		File string `json:"file"`
		Slow int    `json:"slow"`
		Fast int    `json:"fast"`
	} `json:"traces"`
	LogSummary map[string]string `json:"log_summary"`
}

// Manifest is the golden index.
type Manifest struct {
	Dir   string
	Cases []Case `json:"cases"`
	// FullFrame describes C's full 2463x2527 supervisor frame: the args of
	// supervisor_roi without -roi, and the statistics of its float image.
	FullFrame struct {
		FloatSHA256 string `json:"float_sha256_omp1"`
		FloatStats  struct {
			Sum        float64 `json:"sum"`
			Mean       float64 `json:"mean"`
			Max        float64 `json:"max"`
			ArgmaxSlow int     `json:"argmax_slow"`
			ArgmaxFast int     `json:"argmax_fast"`
		} `json:"float_stats_omp1"`
	} `json:"full_frame_supervisor"`
}

// Dir returns the golden folder: ../shared/golden relative to the module
// root found by walking up from the working directory.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			g := filepath.Join(filepath.Dir(d), "shared", "golden")
			if _, err := os.Stat(filepath.Join(g, "manifest.json")); err != nil {
				return "", fmt.Errorf("golden data not found at %s", g)
			}
			return g, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("module root not found above %s", wd)
		}
	}
}

// Load reads the manifest.
func Load() (*Manifest, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	m := &Manifest{Dir: dir}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("golden manifest: %w", err)
	}
	return m, nil
}

// Case returns the named case.
func (m *Manifest) Case(name string) (*Case, bool) {
	for i := range m.Cases {
		if m.Cases[i].Name == name {
			return &m.Cases[i], true
		}
	}
	return nil, false
}

// Open opens a case's stored output (gunzipping *.gz).
func (m *Manifest) Open(c *Case, output string) (io.ReadCloser, error) {
	o, ok := c.Outputs[output]
	if !ok {
		return nil, fmt.Errorf("case %s has no %s", c.Name, output)
	}
	path := filepath.Join(m.Dir, c.Name, o.StoredAs)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(o.StoredAs, ".gz") {
		return f, nil
	}
	z, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{z, f}, nil
}

// ReadAll reads a stored output whole.
func (m *Manifest) ReadAll(c *Case, output string) ([]byte, error) {
	r, err := m.Open(c, output)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Float32s decodes little-endian float32 data.
func Float32s(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// Uint16s decodes little-endian uint16 data after an SMV header of hdr bytes.
func Uint16s(b []byte, hdr int) []uint16 {
	b = b[hdr:]
	out := make([]uint16, len(b)/2)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return out
}

// HasFeature reports whether the case exercises feature f.
func (c *Case) HasFeature(f string) bool {
	for _, x := range c.Features {
		if x == f {
			return true
		}
	}
	return false
}

// Arg returns the values following option name in the case's args.
func (c *Case) Arg(name string, n int) ([]string, bool) {
	for i, a := range c.Args {
		if a == name && i+n < len(c.Args) {
			return c.Args[i+1 : i+1+n], true
		}
	}
	return nil, false
}
