package beam

import (
	"math"
	"strings"
	"testing"

	"gobragg/dual"
)

// same reports whether a and b are equal, NaN matching NaN.
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestReadSourceFile(t *testing.T) {
	nan := math.NaN()
	text := "\n" +
		"  \t\n" + // blank after delimiters
		"-10 0 0 1.0 1.0e-10\n" +
		"-10,0.02;0:0.5!1.03e-10\r\n" + // every delimiter, CRLF
		"\t-10  0   -0.015\n" + // 3 columns
		",,-10 -0.01 0.01 1 1e-10 99 junk\n" + // leading delimiters, extra columns ignored
		"-10 nan 0.5\n" + // NaN means missing
		"-10" // last line without newline
	fs, err := ReadSourceFile(strings.NewReader(text), "src.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []FileSource{
		{-10, 0, 0, 1, 1e-10},
		{-10, 0.02, 0, 0.5, 1.03e-10},
		{-10, 0, -0.015, nan, nan},
		{-10, -0.01, 0.01, 1, 1e-10},
		{-10, nan, 0.5, nan, nan},
		{-10, nan, nan, nan, nan},
	}
	if len(fs) != len(want) {
		t.Fatalf("%d sources, want %d: %v", len(fs), len(want), fs)
	}
	for i := range want {
		g, w := fs[i], want[i]
		if !same(g.X, w.X) || !same(g.Y, w.Y) || !same(g.Z, w.Z) || !same(g.Weight, w.Weight) || !same(g.LambdaM, w.LambdaM) {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestReadSourceFileErrors(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"empty", "", "no sources"},
		{"blank", "\n \t\n,,\n", "no sources"},
		{"comment", "# X Y Z\n-10 0 0\n", "line 1: column 1 (X) \"#\" is not a number"},
		{"typo", "-10 0 0\n-10 O.1 0\n", "line 2: column 2 (Y) \"O.1\" is not a number"},
		{"fortran exponent", "-10 0 0 1 1.0d-10\n", "column 5 (wavelength) \"1.0d-10\" is not a number"},
		{"infinite", "-10 inf 0\n", "column 2 (Y) \"inf\" is not finite"},
		{"zero wavelength", "-10 0 0 1 0\n", "wavelength \"0\" is not positive"},
		{"negative wavelength", "\n\n-10 0 0 1 -1e-10\n", "line 3: wavelength"},
		{"NaN wavelength", "-10 0 0 1 nan\n", "line 1: column 5 (wavelength) \"nan\" is not a number"},
		{"zero direction", "-10 0 0\n0 0 0 1\n", "line 2: source position 0 0 0 gives no direction"},
		{"not text", strings.Repeat("\x00", 2<<20), "not a text file: line 1 holds the byte 0x00"},
		{"long line", strings.Repeat("1", 2<<20), "line 1 is longer than"},
	}
	for _, c := range cases {
		_, err := ReadSourceFile(strings.NewReader(c.text), c.name+".txt")
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name+".txt") {
			t.Errorf("%s: error %q should name the file and contain %q", c.name, err, c.want)
		}
	}
}

func TestFromFileDefaults(t *testing.T) {
	nan := math.NaN()
	fs := []FileSource{{nan, nan, nan, nan, nan}, {-5, 3, nan, 2, 1.5e-10}}
	beam := [3]float64{0.6, 0, 0.8}
	src := FromFile(fs, beam, dual.C(1.2e-10), 10)
	if p := src[0].Position; p != [3]float64{-6, -0, -8} {
		t.Errorf("default position %v, want -10*beam", p)
	}
	if src[0].Weight != 1 || src[0].LambdaM.V != 1.2e-10 {
		t.Errorf("defaults: weight %v lambda %v; want 1 and lambda0", src[0].Weight, src[0].LambdaM.V)
	}
	if inc := src[0].Incident; math.Abs(inc[0]-0.6) > 1e-15 || math.Abs(inc[2]-0.8) > 1e-15 {
		t.Errorf("incident %v, want the beam direction", inc)
	}
	if p := src[1].Position; p != [3]float64{-5, 3, -8} || src[1].Weight != 2 || src[1].LambdaM.V != 1.5e-10 {
		t.Errorf("partial defaults: %+v", src[1])
	}
	var n float64
	for _, v := range src[1].Incident {
		n += v * v
	}
	if math.Abs(n-1) > 1e-15 {
		t.Errorf("incident %v is not a unit vector", src[1].Incident)
	}
}

func TestAutoSteps(t *testing.T) {
	cases := []struct {
		rng, step float64
		steps     int
		wr, ws    float64
		wn        int
	}{
		{-1, -1, 0, 0, 0, 1},
		{-1, 0.002, 0, 0.002, 0.002, 2},
		{0.001, -1, 0, 0.001, 0.001, 2},
		{0.001, 0.0003, 0, 0.001, 0.0003, 4},
		{-1, -1, 4, 1, 0.25, 4},
		{-1, 0.002, 7, 0.002, 0.002, 2},
		{0.001, -1, 3, 0.001, 0.0005, 3},
		{0.001, -1, 1, 0.001, 0.001, 2},
		{0.001, 0.0002, 9, 0.001, 0.0002, 9},
	}
	for _, c := range cases {
		r, s, n := AutoSteps(c.rng, c.step, c.steps)
		if r != c.wr || s != c.ws || n != c.wn {
			t.Errorf("AutoSteps(%v, %v, %d) = %v, %v, %d; want %v, %v, %d", c.rng, c.step, c.steps, r, s, n, c.wr, c.ws, c.wn)
		}
	}
}
