package crystal

import (
	"gobragg/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadMatGolden reads inputs/A.mat and compares it with the matrix the
// derivative tests use (the file's text, three numbers a line).
func TestReadMatGolden(t *testing.T) {
	g := golden.Require(t).Dir
	f, err := os.Open(filepath.Join(g, "inputs", "A.mat"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ReadMat(f, "A.mat")
	if err != nil {
		t.Fatal(err)
	}
	if m != goldenMat {
		t.Errorf("A.mat = %v, want %v", m, goldenMat)
	}
}

func TestReadMatForms(t *testing.T) {
	want := [9]float64{1, 2, 3, -0.5, 0.25, -6, 7e-3, 8, 9}
	cases := []struct{ name, text string }{
		{"plain", "1 2 3\n-0.5 0.25 -6\n7e-3 8 9\n"},
		{"Fortran abutting signs", "1.0 2.0 3.0\n-0.5000.25-6.\n0.007 8 9\n"},
		{"blank lines and CRLF", "\n1 2 3\r\n\r\n-0.5 0.25 -6\r\n7e-3 8 9"},
		{"MOSFLM trailer ignored", "1 2 3\n-0.5 0.25 -6\n7e-3 8 9\n0.0 0.0 0.0\n1 0 0\n0 1 0\n0 0 1\n70 80 90 75 85 95\n0 0 0\n"},
	}
	for _, c := range cases {
		m, err := ReadMat(strings.NewReader(c.text), "t.mat")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if m != want {
			t.Errorf("%s: got %v, want %v", c.name, m, want)
		}
	}
}

func TestReadMatMalformed(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"empty", "", "mat bad.mat: want 3 matrix lines, found 0"},
		{"two lines", "1 2 3\n4 5 6\n", "mat bad.mat: want 3 matrix lines, found 2"},
		{"short line", "1 2 3\n4 5\n7 8 9\n", "mat bad.mat line 2: want 3 numbers, found 2"},
		{"long line", "1 2 3 4\n5 6 7\n8 9 10\n", `mat bad.mat line 1: unexpected "4" after three numbers`},
		{"garbage", "1 2 3\n4 five 6\n7 8 9\n", `mat bad.mat line 2: "five" is not a number`},
		{"trailing text", "1 2 3\n4 5 6 # comment\n7 8 9\n", `mat bad.mat line 2: unexpected "#"`},
		{"NaN", "1 2 3\n4 5 6\n7 nan 9\n", "mat bad.mat line 3: entry 2 is NaN"},
		{"infinite", "inf 2 3\n4 5 6\n7 8 9\n", "mat bad.mat line 1: entry 1 is +Inf"},
		{"dangling exponent", "1 2 3e\n4 5 6\n7 8 9\n", `mat bad.mat line 1: "3e" is not a number`},
	}
	for _, c := range cases {
		_, err := ReadMat(strings.NewReader(c.text), "bad.mat")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.want)
		}
	}
}
