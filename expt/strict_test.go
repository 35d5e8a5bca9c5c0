package expt

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// goodList is listJSON with its one panel.
var goodList = strings.Replace(listJSON, "PANEL", panelJSON, 1)

// edit returns goodList with old replaced by new, failing when old is not
// in it (a case that edits nothing would test nothing).
func edit(t testing.TB, old, new string) string {
	t.Helper()
	if !strings.Contains(goodList, old) {
		t.Fatalf("%q is not in the test list", old)
	}
	return strings.Replace(goodList, old, new, 1)
}

// hostileCase is a list Read or Single must refuse, with the text the
// error must hold (it names the field).
type hostileCase struct {
	name, old, new, want string
}

// hostileEdits are lists of the wrong shape (refused by Read) or with
// values no simulation can use (refused by Single), each an edit of
// goodList; they also seed FuzzReadExpt.
var hostileEdits = []hostileCase{
	// Arrays of the wrong length: encoding/json zero-fills or truncates them.
	{"real_space_a of 2", `"real_space_a": [50, 0, 0]`, `"real_space_a": [1, 2]`, "crystal[0].real_space_a: 2 numbers where an array of 3 numbers belongs"},
	{"real_space_b of 4", `"real_space_b": [0, 60, 0]`, `"real_space_b": [0, 60, 0, 1]`, "crystal[0].real_space_b: 4 numbers where an array of 3 numbers belongs"},
	{"image_size of 3", `"image_size": [64, 48]`, `"image_size": [64, 64, 64]`, "detector[0].panels[0].image_size: 3 integers where an array of 2 integers belongs"},
	{"pixel_size of 1", `"pixel_size": [0.4, 0.4]`, `"pixel_size": [0.4]`, "detector[0].panels[0].pixel_size: 1 number where an array of 2 numbers belongs"},
	{"origin of 0", `"origin": [-10, 10, -100]`, `"origin": []`, "detector[0].panels[0].origin: 0 numbers where an array of 3 numbers belongs"},
	{"fixed_rotation of 8", `"fixed_rotation": [1,0,0,0,1,0,0,0,1]`, `"fixed_rotation": [1,0,0,0,1,0,0,0]`, "goniometer[0].fixed_rotation: 8 numbers where an array of 9 numbers belongs"},
	{"oscillation of 1", `"oscillation": [0, 0.5]`, `"oscillation": [0]`, "scan[0].oscillation: 1 number where an array of 2 numbers belongs"},
	{"image_range of 3", `"image_range": [1, 10]`, `"image_range": [1, 10, 20]`, "scan[0].image_range: 3 integers"},
	{"direction null", `"direction": [0, 0, 1]`, `"direction": null`, "beam[0].direction: null where an array of 3 numbers belongs"},
	// Values of the wrong kind or beyond their Go type.
	{"wavelength null", `"wavelength": 1.0`, `"wavelength": null`, "beam[0].wavelength: null where a number belongs"},
	{"wavelength a string", `"wavelength": 1.0`, `"wavelength": "1.0"`, "beam[0].wavelength: a string where a number belongs"},
	{"wavelength beyond float64", `"wavelength": 1.0`, `"wavelength": 1e400`, "beam[0].wavelength: 1e400 is beyond the range of a float64"},
	{"fractional size", `"image_size": [64, 48]`, `"image_size": [64.5, 48]`, "image_size[0]: 64.5 where an integer belongs"},
	{"fractional index", `"beam": 0,`, `"beam": 0.5,`, "experiment[0].beam: 0.5 where an integer belongs"},
	{"panel a number", `"panels": [{`, `"panels": [7, {`, "detector[0].panels[0]: a number where an object belongs"},
	// Keys match fields as encoding/json matches them (case folded, escapes).
	{"key in capitals", `"real_space_a": [50, 0, 0]`, `"REAL_SPACE_A": [1, 2]`, "crystal[0].REAL_SPACE_A: 2 numbers"},
	{"key with an escape", `"oscillation": [0, 0.5]`, `"o\u0073cillation": [0]`, "scan[0].oscillation: 1 number"},
	{"key with the long s", `"slow_axis": [0, -1, 0]`, `"\u017flow_axis": [0, -1]`, "detector[0].panels[0].ſlow_axis: 2 numbers"},
	// Text after the JSON value.
	{"trailing garbage", `" P 1"}]}`, `" P 1"}]} garbage`, "text after the end of the JSON value, at line 8"},
	{"a second value", `" P 1"}]}`, `" P 1"}]} {}`, "text after the end of the JSON value"},
	{"broken JSON", `"scan": [{`, `"scan": [{,`, "not valid JSON at line 7"},
	// Values Single refuses, by field.
	{"parallel axes", `"slow_axis": [0, -1, 0]`, `"slow_axis": [1, 0, 0]`, "detector[0].panels[0]: fast_axis [1 0 0] and slow_axis [1 0 0] are parallel"},
	{"antiparallel axes", `"slow_axis": [0, -1, 0]`, `"slow_axis": [-1, 0, 0]`, "are parallel"},
	{"panel behind the sample", `"origin": [-10, 10, -100]`, `"origin": [-10, 10, 150]`, "detector[0].panels[0]: the panel does not face the sample: origin [-10 10 150] mm is -150 mm along the normal"},
	{"panel through the sample", `"origin": [-10, 10, -100]`, `"origin": [-10, 10, 0]`, "the panel does not face the sample"},
	{"zero real_space_a", `"real_space_a": [50, 0, 0]`, `"real_space_a": [0, 0, 0]`, "crystal[0].real_space_a: [0 0 0] Å has no length"},
	{"coplanar crystal", `"real_space_c": [0, 0, 70]`, `"real_space_c": [25, 30, 0]`, "crystal[0]: real_space_a [50 0 0], real_space_b [0 60 0] and real_space_c [25 30 0] Å are coplanar or left-handed"},
	{"left-handed crystal", `"real_space_c": [0, 0, 70]`, `"real_space_c": [0, 0, -70]`, "are coplanar or left-handed"},
	{"polarization along the beam", `"polarization_normal": [0, 1, 0]`, `"polarization_normal": [0, 0, -1]`, "beam[0]: polarization_normal [0 0 -1] is parallel to direction [0 0 1]"},
	{"no polarization normal", `"polarization_normal": [0, 1, 0]`, `"polarization_normal": [0, 0, 0]`, "beam[0].polarization_normal: [0 0 0] has no direction"},
	{"axis not unit", `"fast_axis": [1, 0, 0]`, `"fast_axis": [2, 0, 0]`, "detector[0].panels[0].fast_axis: [2 0 0] is not a unit vector"},
	{"zero wavelength", `"wavelength": 1.0`, `"wavelength": 0`, "beam[0].wavelength: 0 Å is not a positive number"},
	{"backward scan", `"image_range": [1, 10]`, `"image_range": [10, 1]`, "scan[0].image_range: [10 1] ends before it starts"},
}

// readSingle reads a list and takes its one experiment.
func readSingle(text, name string) (Single, error) {
	l, err := Read(strings.NewReader(text), name)
	if err != nil {
		return Single{}, err
	}
	return l.Single(name)
}

func TestReadAndSingleRefuseByField(t *testing.T) {
	_, err := readSingle(goodList, "good.expt")
	require.NoError(t, err, "the list the cases edit")
	for _, c := range hostileEdits {
		_, err := readSingle(edit(t, c.old, c.new), "bad.expt")
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "expt bad.expt: ") {
			t.Errorf("%s: error %q, want it to name bad.expt and hold %q", c.name, err, c.want)
		}
	}
}

func TestReadAcceptsWhatDIALSWrites(t *testing.T) {
	for _, c := range []struct{ name, old, new string }{
		{"white space after the value", `" P 1"}]}`, "\" P 1\"}]}\n\t \r\n"},
		{"null for what may be absent", `"template": "/x/a_###.img"`, `"template": "/x/a_###.img", "mask": null, "images": null`},
		{"an unknown field of any size", `"wavelength": 1.0`, `"wavelength": 1.0, "B_covariance": [[1, 2], {"a": [3]}, "x", null]`},
		// A panel that faces the sample may sit beyond 90 degrees of
		// scattering: upstream of the sample, its normal pointing upstream.
		{"backscattering panel", `"fast_axis": [1, 0, 0], "slow_axis": [0, -1, 0], "origin": [-10, 10, -100]`,
			`"fast_axis": [1, 0, 0], "slow_axis": [0, 1, 0], "origin": [-10, -10, 100]`},
		{"panel across the beam", `"fast_axis": [1, 0, 0], "slow_axis": [0, -1, 0], "origin": [-10, 10, -100]`,
			`"fast_axis": [0, 1, 0], "slow_axis": [0, 0, 1], "origin": [100, -10, -10]`},
	} {
		_, err := readSingle(edit(t, c.old, c.new), "ok.expt")
		require.NoError(t, err, c.name)
	}
}

func TestReadRefusesEmptyAndShortText(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "expt x.expt: the file is empty"},
		{" \n ", "the file is empty"},
		{goodList[:len(goodList)/2], "not valid JSON: the text ends early"},
		{"[]", "expt x.expt: not a DIALS experiment list: an array where an object belongs"},
		{`{"__id__": "Reflections"}`, `not a DIALS experiment list (__id__ is "Reflections"`},
	} {
		_, err := Read(strings.NewReader(c.text), "x.expt")
		require.ErrorContains(t, err, c.want, "%.40q", c.text)
	}
}

// bigFile is a reader whose Stat reports a regular file of size bytes and
// that fails the test when read: Read must refuse it by its size.
type bigFile struct {
	t    *testing.T
	size int64
}

func (b bigFile) Read([]byte) (int, error) {
	b.t.Error("a file above the limit was read")
	return 0, io.EOF
}

func (b bigFile) Stat() (fs.FileInfo, error) { return bigInfo(b.size), nil }

type bigInfo int64

func (i bigInfo) Name() string       { return "big.expt" }
func (i bigInfo) Size() int64        { return int64(i) }
func (i bigInfo) Mode() fs.FileMode  { return 0o644 }
func (i bigInfo) ModTime() time.Time { return time.Time{} }
func (i bigInfo) IsDir() bool        { return false }
func (i bigInfo) Sys() any           { return nil }

// repeat reads b over and over.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestReadBoundsTheFileBeforeReadingIt(t *testing.T) {
	_, err := Read(bigFile{t, 250e6}, "big.expt")
	require.ErrorContains(t, err, "expt big.expt: 250000000 bytes, above the 64 MiB an experiment list may have")
	// A stream of unknown size (a pipe) is cut at the limit.
	_, err = Read(repeat(' '), "pipe.expt")
	require.ErrorContains(t, err, "expt pipe.expt: more than 64 MiB")
}

// TestReadBoundsTheDecodedSize: lists of a few MB that would decode to
// gigabytes (empty panels, boxed numbers) are refused by the estimate,
// which allocates nothing while it walks the text.
func TestReadBoundsTheDecodedSize(t *testing.T) {
	repeated := func(item string, n int) string {
		return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
	}
	for _, c := range []struct{ name, text, want string }{
		{"three million boxed numbers", edit(t, `"scan": [{`, `"profile": [`+repeated("1", 3_000_000)+`], "scan": [{`),
			"expt big.expt: profile["},
		{"half a million empty panels", strings.Replace(listJSON, "PANEL", repeated("{}", 500_000), 1),
			"expt big.expt: detector[0].panels["},
	} {
		data := []byte(c.text)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Read(bytes.NewReader(data), "big.expt")
		runtime.ReadMemStats(&after)
		require.ErrorContains(t, err, c.want, c.name)
		require.ErrorContains(t, err, "decoding the list would take more than 64 MiB of memory", c.name)
		// Read copies the text (growing its buffer by doubling); the walk
		// adds next to nothing, where decoding would take gigabytes.
		if got := after.TotalAlloc - before.TotalAlloc; got > uint64(3*len(data))+1<<20 {
			t.Errorf("%s: refusing %d bytes of text allocated %d bytes", c.name, len(data), got)
		}
	}
}

// TestShapeNamesWhatEncodingJSONWouldDecode: a key that encoding/json
// folds onto a field is checked as that field, one it does not is skipped.
func TestShapeNamesWhatEncodingJSONWouldDecode(t *testing.T) {
	var se *shapeError
	err := checkShape([]byte(`{"beam": [{"DIRECTION": [1]}]}`), listType)
	require.True(t, errors.As(err, &se))
	require.Equal(t, "beam[0].DIRECTION: 1 number where an array of 3 numbers belongs", err.Error())
	require.NoError(t, checkShape([]byte(`{"beam": [{"direction_": [1]}]}`), listType))
}
