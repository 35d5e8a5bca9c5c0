package crystal

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"gobragg/internal/golden"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// fdumpRef describes Fdump.bin files written by the C nanoBragg from golden
// inputs (run in a scratch directory with -hkl FILE -cell 100 100 100 90 90
// 90 -N 1 -detpixels 8 [-default_F 10]); the sha256 digests are of those
// files.
var fdumpRef = []struct {
	file     string
	defaultF float64
	header   string
	size     int
	sha256   string
}{
	{"sparse.hkl", 10, "0 2 -1 2 -2 1\n\f", 815, "a7437232857fe76e60529930e442308cd6a7f302dd7d16ed73e4ef071e1db675"},
	{"sparse.hkl", 0, "0 2 -1 2 -2 1\n\f", 815, "5cc5338f2cb4aeb866f46836ac3ba362d2f5f6d7b7226ce100aa3199aaf0b316"},
	{"pattern.hkl", 10, "-10 10 -10 10 -10 10\n\f", 85206, "c701a118e7c2d4ed5a4ece6e8a879c6be40959475fcecb45a8f54741fe92f6d9"},
}

// TestWriteFdumpMatchesC writes the tables for the golden inputs and
// compares them with nanoBragg's files: header text, size, digest, and the
// layout (extra slots 0, table values in place), then reads them back.
func TestWriteFdumpMatchesC(t *testing.T) {
	g := golden.Require(t).Dir
	for _, c := range fdumpRef {
		t.Run(c.file, func(t *testing.T) {
			refl, err := readHKLFile(t, filepath.Join(g, "inputs", c.file), HKLOptions{CParity: true})
			if err != nil {
				t.Fatal(err)
			}
			grid := NewFGrid(refl, c.defaultF)
			var buf bytes.Buffer
			if err := WriteFdump(&buf, grid); err != nil {
				t.Fatal(err)
			}
			b := buf.Bytes()
			if !bytes.HasPrefix(b, []byte(c.header)) {
				t.Errorf("header %q, want %q", b[:min(len(b), len(c.header))], c.header)
			}
			if len(b) != c.size {
				t.Errorf("size %d, want %d", len(b), c.size)
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != c.sha256 {
				t.Errorf("sha256 %s, nanoBragg's file has %s", got, c.sha256)
			}
			// layout: slot (h0,k0,l0) holds F(hmin+h0, ...) or 0 in the extra slots
			nh, nk, nl := grid.ranges()
			body := b[len(c.header):]
			for h0 := 0; h0 <= nh; h0++ {
				for k0 := 0; k0 <= nk; k0++ {
					for l0 := 0; l0 <= nl; l0++ {
						off := ((h0*(nk+1)+k0)*(nl+1) + l0) * 8
						got := math.Float64frombits(binary.LittleEndian.Uint64(body[off:]))
						want := 0.0
						if h0 < nh && k0 < nk && l0 < nl {
							want = grid.Lookup(grid.Hmin+h0, grid.Kmin+k0, grid.Lmin+l0, -1)
						}
						if got != want {
							t.Fatalf("slot %d,%d,%d = %v, want %v", h0, k0, l0, got, want)
						}
					}
				}
			}
			back, err := ReadFdump(bytes.NewReader(b), "Fdump.bin")
			if err != nil {
				t.Fatal(err)
			}
			if back.Hmin != grid.Hmin || back.Hmax != grid.Hmax || back.Kmin != grid.Kmin ||
				back.Kmax != grid.Kmax || back.Lmin != grid.Lmin || back.Lmax != grid.Lmax {
				t.Errorf("ranges changed on the round trip: %+v", back)
			}
			if back.Count != nh*nk*nl {
				t.Errorf("Count = %d, want nanoBragg's h_range*k_range*l_range = %d", back.Count, nh*nk*nl)
			}
			for i := range grid.F {
				if math.Float64bits(back.F[i]) != math.Float64bits(grid.F[i]) {
					t.Fatalf("F[%d] = %v after the round trip, was %v", i, back.F[i], grid.F[i])
				}
			}
			var again bytes.Buffer
			if err := WriteFdump(&again, back); err != nil || !bytes.Equal(again.Bytes(), b) {
				t.Errorf("rewriting the read table changed the file (error %v)", err)
			}
		})
	}
}

// TestFdumpRoundTripOddValues round-trips negative zero, subnormals, the
// largest allowed F and values whose first byte looks like white space; a
// NaN in the table is refused.
func TestFdumpRoundTripOddValues(t *testing.T) {
	ws := math.Float64frombits(0x4059000000000020) // first little-endian byte is ' '
	refl := []Reflection{{-1, 0, 0, math.Copysign(0, -1)}, {0, 0, 0, 5e-324}, {0, 1, 0, -MaxF}, {0, 0, 2, ws}}
	grid := NewFGrid(refl, 0)
	var buf bytes.Buffer
	if err := WriteFdump(&buf, grid); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFdump(&buf, "odd.bin")
	if err != nil {
		t.Fatal(err)
	}
	for i := range grid.F {
		if math.Float64bits(back.F[i]) != math.Float64bits(grid.F[i]) {
			t.Errorf("F[%d] = %x, want %x", i, math.Float64bits(back.F[i]), math.Float64bits(grid.F[i]))
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), 2 * MaxF} {
		buf.Reset()
		if err := WriteFdump(&buf, NewFGrid([]Reflection{{0, 0, 0, 1}, {0, 1, 0, bad}}, 0)); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadFdump(&buf, "odd.bin"); err == nil || !strings.Contains(err.Error(), "odd.bin: h=0 k=1 l=0: F =") {
			t.Errorf("F = %g: got %v, want an error naming the file and the reflection", bad, err)
		}
	}
}

func TestReadFdumpMalformed(t *testing.T) {
	var good bytes.Buffer
	if err := WriteFdump(&good, NewFGrid(sparseRefl, 10)); err != nil {
		t.Fatal(err)
	}
	gb := good.Bytes()
	header := len("0 2 -1 2 -2 1\n\f")
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no header"},
		{"no form feed", []byte("0 2 -1 2 -2 1\n"), "no header"},
		{"five fields", []byte("0 2 -1 2 -2\n\f"), "want 6 integers, found 5"},
		{"not an integer", []byte("0 2 -1 x -2 1\n\f"), `header field 4 "x"`},
		{"empty range", []byte("2 0 -1 2 -2 1\n\f"), "h range 2..0 is empty"},
		{"huge range", []byte("-100000 100000 -100000 100000 0 0\n\f"), "table points (limit"},
		{"truncated", gb[:len(gb)-8], "truncated: 792 data bytes, header needs 800"},
		{"header only", gb[:header], "truncated: 0 data bytes"},
		{"trailing bytes", append(append([]byte(nil), gb...), 0, 0, 0), "more bytes after the 800 data bytes"},
	}
	for _, c := range cases {
		_, err := ReadFdump(bytes.NewReader(c.data), "Fdump.bin")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), "Fdump Fdump.bin") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not name the file or contain %q", c.name, err, c.want)
		}
	}
	if err := WriteFdump(&bytes.Buffer{}, NewFGrid(nil, 1)); err == nil {
		t.Error("writing an empty table: no error")
	}
}
