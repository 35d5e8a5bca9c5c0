package imageio

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Hostile headers: sizes that a damaged or crafted file claims. Every
// reader must refuse them with an error naming the file and the size,
// before it allocates anything for them.

// smvClaiming returns a valid 4x3 SMV frame (24 bytes of pixels) whose
// header lines are replaced as old, new pairs.
func smvClaiming(t testing.TB, replace ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSMV(&b, SMVHeader{SizeFast: 4, SizeSlow: 3, PixelSizeMM: 0.1}, make([]uint16, 12)); err != nil {
		t.Fatal(err)
	}
	return []byte(strings.NewReplacer(replace...).Replace(b.String()))
}

// cbfClaiming returns a valid 4x3 miniCBF whose MIME header fields are
// replaced: X-Binary-Number-of-Elements, X-Binary-Size-Fastest-Dimension,
// X-Binary-Size-Second-Dimension and X-Binary-Size ("" keeps a field).
func cbfClaiming(t testing.TB, elements, fast, slow, size string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCBF(&b, CBFHeader{SizeFast: 4, SizeSlow: 3, PixelSizeM: 1e-4, DistanceM: 0.1, WavelengthA: 1}, make([]int32, 12)); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, f := range []struct{ key, v string }{
		{"X-Binary-Number-of-Elements", elements}, {"X-Binary-Size-Fastest-Dimension", fast},
		{"X-Binary-Size-Second-Dimension", slow}, {"X-Binary-Size", size},
	} {
		if f.v == "" {
			continue
		}
		i := strings.Index(s, "\r\n"+f.key+": ") + len(f.key) + 4
		j := i + strings.Index(s[i:], "\r\n")
		s = s[:i] + f.v + s[j:]
	}
	return []byte(s)
}

// withoutPadding cuts a cbfClaiming file after its 12 bytes of data.
func withoutPadding(cbf []byte) []byte {
	return cbf[:bytes.Index(cbf, cbfBinaryStart)+len(cbfBinaryStart)+12]
}

// maxRefusalAlloc bounds the memory a reader may allocate before refusing
// a hostile file: its header and buffers (at most 2.2 MB, for a 1 MiB CBF
// header read in doubling steps), never the pixels the file claims.
const maxRefusalAlloc = 4 << 20

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// hostileHeaders are files whose headers claim sizes no reader may
// allocate, by name, with what the error must say. They are fuzz seeds
// too.
func hostileHeaders(t testing.TB) []struct {
	name string
	data []byte
	want string
} {
	return []struct {
		name string
		data []byte
		want string
	}{
		{"smv 16777215^2", smvClaiming(t, "SIZE1=4;", "SIZE1=16777215;", "SIZE2=3;", "SIZE2=16777215;"),
			"header SIZE1/SIZE2 give 16777215x16777215 pixels (2.81475e+14), more than the 2147483647 a detector may have"},
		{"smv 100000^2", smvClaiming(t, "SIZE1=4;", "SIZE1=100000;", "SIZE2=3;", "SIZE2=100000;"),
			"100000x100000 pixels (1e+10), more than the 2147483647"},
		{"smv SIZE1 past int64", smvClaiming(t, "SIZE1=4;", "SIZE1=99999999999999999999;"),
			"header SIZE1=99999999999999999999 is not a positive size"},
		{"smv 40000^2 in a small file", smvClaiming(t, "SIZE1=4;", "SIZE1=40000;", "SIZE2=3;", "SIZE2=40000;"),
			"truncated: header SIZE1/SIZE2 give 40000x40000 pixels, 3200000000 bytes (2 bytes a pixel) after the 512-byte header, but the file has 544 bytes"},
		{"smv DETECTOR_DIMENSIONS 65536", smvClaiming(t, "SIZE1=4;\nSIZE2=3;", "DETECTOR_DIMENSIONS=65536;"),
			"header DETECTOR_DIMENSIONS gives 65536x65536 pixels (4.29497e+09), more than the 2147483647"},
		{"smv HEADER_BYTES 1e15", smvClaiming(t, "HEADER_BYTES=512;", "HEADER_BYTES=1000000000000000;"),
			"HEADER_BYTES=1000000000000000 is not a positive size (a whole number below 1048576)"},
		{"cbf 1e10 elements", cbfClaiming(t, "10000000000", "100000", "100000", ""),
			"header X-Binary-Size-Fastest/Second-Dimension give 100000x100000 pixels (1e+10), more than the 2147483647 a detector may have"},
		{"cbf 16777215^2 elements", cbfClaiming(t, "281474943156225", "16777215", "16777215", ""),
			"give 16777215x16777215 pixels (2.81475e+14), more than the 2147483647"},
		{"cbf 1e10 elements, dimensions kept", cbfClaiming(t, "10000000000", "", "", ""),
			"10000000000 elements for a 4x3 image"},
		{"cbf 65536^2", cbfClaiming(t, "4294967296", "65536", "65536", ""),
			"give 65536x65536 pixels (4.29497e+09), more than the 2147483647"},
		{"cbf 40000^2 in 12 bytes", cbfClaiming(t, "1600000000", "40000", "40000", ""),
			"X-Binary-Size 12 cannot hold 1600000000 byte-offset elements (1 to 15 bytes each)"},
		{"cbf X-Binary-Size past the file", withoutPadding(cbfClaiming(t, "", "", "", "100")),
			"truncated: header X-Binary-Size-Fastest/Second-Dimension give 4x3 pixels, 100 bytes (X-Binary-Size) after the"},
		{"cbf X-Binary-Size past int64", cbfClaiming(t, "", "", "", "99999999999999999999"),
			"X-Binary-Size \"99999999999999999999\" is not a size"},
		{"cbf X-Binary-Size above 15 bytes an element", cbfClaiming(t, "", "", "", "181"),
			"X-Binary-Size 181 cannot hold 12 byte-offset elements"},
		{"cbf 2 MiB after the data", append(cbfClaiming(t, "", "", "", ""), make([]byte, 2<<20)...),
			"more than 1048576 bytes follow the 12 bytes of X-Binary-Size"},
		{"cbf header of 2 MiB", append([]byte(cbfMagic+" 1.5\r\n"), bytes.Repeat([]byte("# x\r\n"), 400<<10)...),
			"no binary section (the bytes 0C 1A 04 D5) in the first 1048576 bytes"},
	}
}

func TestReadersRefuseHostileHeaders(t *testing.T) {
	for _, c := range hostileHeaders(t) {
		read := func(r io.Reader) error { _, err := ReadSMV(r, "hostile.img"); return err }
		if strings.HasPrefix(c.name, "cbf") {
			read = func(r io.Reader) error { _, err := ReadCBF(r, "hostile.img"); return err }
		}
		// In memory, in a regular file, through DecodeFrame and ReadFrame
		// (which know the length) and from a stream of unknown length.
		path := filepath.Join(t.TempDir(), "hostile.img")
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, how := range []struct {
			name string
			read func() error
		}{
			{"in memory", func() error { return read(bytes.NewReader(c.data)) }},
			{"file", func() error { return read(f) }},
			{"stream", func() error { return read(io.MultiReader(bytes.NewReader(c.data))) }},
			{"DecodeFrame", func() error { _, err := DecodeFrame(c.data, "hostile.img", Dims{}); return err }},
			{"ReadFrame", func() error { _, err := ReadFrame(path, Dims{}); return err }},
		} {
			var err error
			alloc := allocated(func() { err = how.read() })
			want := c.want
			if how.name == "stream" && strings.HasPrefix(want, "truncated: ") {
				want = "truncated" // a stream's length is known once read
			}
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "hostile.img") {
				t.Errorf("%s (%s): error %v, want one naming hostile.img and containing %q", c.name, how.name, err, want)
			}
			if alloc > maxRefusalAlloc {
				t.Errorf("%s (%s): allocated %d bytes before refusing, want at most %d", c.name, how.name, alloc, maxRefusalAlloc)
			}
		}
		f.Close()
	}
}

// TestReadersRefuseAboveMemory: a size within MaxPixels and the file is
// still refused when the memory to read it is not there.
func TestReadersRefuseAboveMemory(t *testing.T) {
	defer func(f func() (float64, float64, bool)) { availableMemory = f }(availableMemory)
	availableMemory = func() (float64, float64, bool) { return 1e6, 2e6, true }
	var smv, cbf bytes.Buffer
	if err := WriteSMV(&smv, SMVHeader{SizeFast: 512, SizeSlow: 512}, make([]uint16, 512*512)); err != nil {
		t.Fatal(err)
	}
	if err := WriteCBF(&cbf, CBFHeader{SizeFast: 512, SizeSlow: 512}, make([]int32, 512*512)); err != nil {
		t.Fatal(err)
	}
	flt := make([]byte, 4*512*512)
	const want = "give 512x512 pixels, which need about 1 MB of memory to read, more than 80 % of the 1 MB this machine has available (of 2 MB)"
	for _, c := range []struct {
		name string
		read func() error
		want string
	}{
		{"ReadSMV", func() error { _, err := ReadSMV(bytes.NewReader(smv.Bytes()), "big.img"); return err }, "header SIZE1/SIZE2 " + want},
		{"ReadCBF", func() error { _, err := ReadCBF(bytes.NewReader(cbf.Bytes()), "big.img"); return err }, "header X-Binary-Size-Fastest/Second-Dimension " + want},
		{"DecodeFrame float", func() error { _, err := DecodeFrame(flt, "big.img", Dims{}); return err }, "the file's length gives 512x512 pixels, which need about 2 MB"},
		{"DecodeFrame float dims", func() error { _, err := DecodeFrame(flt, "big.img", Dims{512, 512}); return err }, "the dimensions given are 512x512 pixels, which need about 2 MB"},
		{"ReadFloat32", func() error { _, err := ReadFloat32(bytes.NewReader(flt), 512*512, "big.img"); return err }, "the size given is 262144x1 pixels, which need about 1 MB"},
	} {
		if err := c.read(); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "big.img") {
			t.Errorf("%s: error %v, want one naming big.img and containing %q", c.name, err, c.want)
		}
	}
	availableMemory = func() (float64, float64, bool) { return 0, 0, false }
	if _, err := ReadSMV(bytes.NewReader(smv.Bytes()), "big.img"); err != nil {
		t.Errorf("ReadSMV where the memory is unknown: %v", err)
	}
}

func TestFloatReadersRefuseHostileSizes(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(make([]byte, 48))
	zw.Close()
	for _, c := range []struct {
		name string
		read func() error
		want string
	}{
		{"ReadFloat32 above MaxPixels", func() error {
			_, err := ReadFloat32(bytes.NewReader(make([]byte, 16)), MaxPixels+1, "f.bin")
			return err
		}, "the size given is 2147483648x1 pixels (2.14748e+09), more than the 2147483647"},
		{"ReadFloat32 stream above MaxPixels", func() error {
			_, err := ReadFloat32(io.MultiReader(bytes.NewReader(make([]byte, 16))), MaxPixels+1, "f.bin")
			return err
		}, "the size given is 2147483648x1 pixels (2.14748e+09), more than the 2147483647"},
		{"ReadFloat32 1e9 from 16 bytes", func() error {
			_, err := ReadFloat32(io.MultiReader(bytes.NewReader(make([]byte, 16))), 1e9, "f.bin")
			return err
		}, "float image f.bin: 16 bytes, want 4000000000"},
		{"ReadFloatImageFile 100000^2", func() error { _, err := ReadFloatImageFile("f.bin", 100000, 100000); return err }, "the size given is 100000x100000 pixels (1e+10), more than the 2147483647"},
		{"DecodeFrame dims 100000^2", func() error { _, err := DecodeFrame(make([]byte, 48), "f.bin", Dims{100000, 100000}); return err }, "the dimensions given are 100000x100000 pixels (1e+10), more than the 2147483647"},
		{"DecodeFrame dims 2^32 square", func() error { _, err := DecodeFrame(nil, "f.bin", Dims{1 << 32, 1 << 32}); return err }, "4294967296x4294967296 pixels (1.84467e+19), more than the 2147483647"},
		{"ReadFloat32 2^62 from nothing", func() error { _, err := ReadFloat32(bytes.NewReader(nil), 1<<62, "f.bin"); return err }, "(4.61169e+18), more than the 2147483647"},
		{"DecodeFrame gzip dims 100000^2", func() error { _, err := DecodeFrame(gz.Bytes(), "f.bin", Dims{100000, 100000}); return err }, "the dimensions given are 100000x100000 pixels (1e+10), more than the 2147483647"},
		{"DecodeFrame gzip dims 40000^2", func() error { _, err := DecodeFrame(gz.Bytes(), "f.bin", Dims{40000, 40000}); return err }, "40000x40000 pixels, 6400000000 bytes of data (4 bytes a pixel), more than the 4294967296 an image may have"},
		{"DecodeFrame gzip dims 20000^2", func() error { _, err := DecodeFrame(gz.Bytes(), "f.bin", Dims{20000, 20000}); return err }, "raw float32 image of 20000x20000 pixels: 48 bytes (12 floats), want 1600000000"},
		{"ByteOffsetDecode 1e10 from 3 bytes", func() error { _, _, err := ByteOffsetDecode([]byte{1, 2, 3}, 1e10); return err }, "byte-offset stream of 3 bytes cannot hold 10000000000 elements"},
	} {
		var err error
		alloc := allocated(func() { err = c.read() })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if alloc > maxRefusalAlloc {
			t.Errorf("%s: allocated %d bytes before refusing, want at most %d", c.name, alloc, maxRefusalAlloc)
		}
	}
}

// endless reads head, then zeros without end, counting the bytes it gave.
type endless struct {
	head []byte
	n    int64
}

func (e *endless) Read(p []byte) (int, error) {
	k := copy(p, e.head)
	e.head = e.head[k:]
	clear(p[k:])
	e.n += int64(len(p))
	return len(p), nil
}

// errStop ends a gzipEndless producer.
var errStop = errors.New("reader stopped")

// gzipEndless returns a gzip stream of head and then zeros, up to
// gzipEndlessCap bytes, and a function that stops it and returns how many
// bytes of it went through (the decompressed bytes a reader consumed,
// within one 64 KiB step: each step is flushed into a synchronous pipe).
func gzipEndless(head []byte) (io.Reader, func() int64) {
	pr, pw := io.Pipe()
	done := make(chan int64, 1)
	go func() {
		zw, _ := gzip.NewWriterLevel(pw, gzip.BestSpeed)
		src := &endless{head: head}
		buf := make([]byte, 64<<10)
		var through int64
		for through < gzipEndlessCap {
			src.Read(buf)
			if _, err := zw.Write(buf); err != nil {
				break
			}
			if err := zw.Flush(); err != nil {
				break
			}
			through += int64(len(buf))
		}
		zw.Close()
		pw.Close()
		done <- through
	}()
	return pr, func() int64 { pr.CloseWithError(errStop); return <-done }
}

// gzipEndlessCap ends a gzipEndless stream that a reader would otherwise
// read for ever: far above what any bounded reader here reads.
const gzipEndlessCap = 1 << 30

// TestGzipBombsStopAtTheirClaim: a gzip stream that never ends is
// decompressed one byte past what its header (or the dimensions given)
// needs, and refused; only a raw float image of unknown size is
// decompressed further, up to MaxStreamBytes.
func TestGzipBombsStopAtTheirClaim(t *testing.T) {
	smv := smvClaiming(t)
	cbf := cbfClaiming(t, "", "", "", "")
	const slack = 256 << 10 // the readers' buffers and the producer's step
	for _, c := range []struct {
		name  string
		head  []byte
		dims  Dims
		bound int64
		want  string
	}{
		{"smv", smv, Dims{}, int64(len(smv)), "header SIZE1 gives 4x3 pixels (24 bytes after the 512-byte header), but the file holds more data"},
		{"cbf", cbf, Dims{}, int64(len(cbf)) + maxCBFTrailer, "more than 1048576 bytes follow the 12 bytes of X-Binary-Size"},
		{"float with dims", nil, Dims{4, 3}, 48, "raw float32 image of 4x3 pixels: more than 48 bytes"},
		{"float", nil, Dims{}, MaxStreamBytes, "more than 67108864 bytes decompressed, and neither a header nor dimensions give the size"},
	} {
		r, stop := gzipEndless(c.head)
		_, err := decodeFrame(r, "bomb.gz", -1, c.dims)
		through := stop()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bomb.gz") {
			t.Errorf("%s: error %v, want one naming bomb.gz and containing %q", c.name, err, c.want)
		}
		if through > c.bound+slack {
			t.Errorf("%s: decompressed %d bytes before refusing, want at most %d and %d of buffers", c.name, through, c.bound, slack)
		}
	}
}

// TestEndlessStreamsStopAtTheirClaim: the readers read a stream of unknown
// length (a pipe) no further than the size its header gives.
func TestEndlessStreamsStopAtTheirClaim(t *testing.T) {
	const slack = 64 << 10 // the readers' buffers
	smv := smvClaiming(t)
	cbf := cbfClaiming(t, "", "", "", "")
	for _, c := range []struct {
		name  string
		head  []byte
		read  func(io.Reader) error
		bound int
		want  string
	}{
		{"ReadSMV", smv, func(r io.Reader) error { _, err := ReadSMV(r, "pipe"); return err }, len(smv), "the file holds more data"},
		{"ReadCBF", cbf, func(r io.Reader) error { _, err := ReadCBF(r, "pipe"); return err }, len(cbf) + maxCBFTrailer, "more than 1048576 bytes follow"},
		{"ReadFloat32", nil, func(r io.Reader) error { _, err := ReadFloat32(r, 12, "pipe"); return err }, 48, "float image pipe: more than 48 bytes, want 48"},
	} {
		src := &endless{head: c.head}
		err := c.read(src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if src.n > int64(c.bound+slack) {
			t.Errorf("%s: read %d bytes of an endless stream, want at most %d and %d of buffers", c.name, src.n, c.bound, slack)
		}
	}
}

func ExampleDecodeFrame_hostile() {
	var b bytes.Buffer
	WriteSMV(&b, SMVHeader{SizeFast: 4, SizeSlow: 3}, make([]uint16, 12))
	data := strings.Replace(b.String(), "SIZE1=4;\nSIZE2=3;", "SIZE1=100000;\nSIZE2=100000;", 1)
	_, err := DecodeFrame([]byte(data), "frame.img", Dims{})
	fmt.Println(err)
	// Output: smv frame.img: header SIZE1/SIZE2 give 100000x100000 pixels (1e+10), more than the 2147483647 a detector may have
}
