package crystal

import (
	"errors"
	"gobragg/internal/golden"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func readHKLFile(t *testing.T, path string, opt HKLOptions) ([]Reflection, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ReadHKL(f, filepath.Base(path), opt)
}

// TestReadHKLGoldenInputs reads the golden hkl inputs in both modes. The
// expected contents come from the manifest's input descriptions: pattern.hkl
// is every h,k,l in -10..10; P1.hkl is F=100 for h,k,l in -5..5 after '#'
// comment lines (which stop the C-parity reader at once); sparse.hkl has
// nine reflections; scaled.hkl has 64333.
func TestReadHKLGoldenInputs(t *testing.T) {
	g := golden.Require(t).Dir
	cases := []struct {
		file      string
		n         int
		lo, hi    [3]int
		allF      float64 // every F equals this when non-zero
		cParityOK bool
	}{
		{"pattern.hkl", 21 * 21 * 21, [3]int{-10, -10, -10}, [3]int{10, 10, 10}, 0, true},
		{"P1.hkl", 11 * 11 * 11, [3]int{-5, -5, -5}, [3]int{5, 5, 5}, 100, false},
		{"sparse.hkl", 9, [3]int{0, -1, -2}, [3]int{2, 2, 1}, 0, true},
		{"scaled.hkl", 64333, [3]int{}, [3]int{}, 0, true},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(g, "inputs", c.file)
			spec, err := readHKLFile(t, path, HKLOptions{})
			if err != nil {
				t.Fatalf("spec mode: %v", err)
			}
			if len(spec) != c.n {
				t.Errorf("spec mode read %d reflections, want %d", len(spec), c.n)
			}
			if c.lo != c.hi {
				lo, hi := extent(spec)
				if lo != c.lo || hi != c.hi {
					t.Errorf("index ranges %v..%v, want %v..%v", lo, hi, c.lo, c.hi)
				}
			}
			if c.allF != 0 {
				for _, r := range spec {
					if r.F != c.allF {
						t.Fatalf("reflection %v: F = %v, want %v", r, r.F, c.allF)
					}
				}
			}
			cpar, err := readHKLFile(t, path, HKLOptions{CParity: true})
			if !c.cParityOK {
				if !errors.Is(err, ErrNoReflections) || len(cpar) != 0 {
					t.Errorf("C-parity mode: %d reflections, error %v; want none and ErrNoReflections", len(cpar), err)
				}
				if err != nil && !strings.Contains(err.Error(), c.file) {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("C-parity mode: %v", err)
			}
			if len(cpar) != len(spec) {
				t.Fatalf("C-parity mode read %d reflections, spec mode %d", len(cpar), len(spec))
			}
			for i := range spec {
				if spec[i] != cpar[i] {
					t.Fatalf("reflection %d: spec %v, C-parity %v", i, spec[i], cpar[i])
				}
			}
		})
	}
}

// TestReadHKLCountsMatchCLog checks the C-parity reader's reflection count
// against the "N initialized hkls" line of every golden run that read an
// hkl file.
func TestReadHKLCountsMatchCLog(t *testing.T) {
	m := golden.Require(t)
	g := m.Dir
	re := regexp.MustCompile(`(?m)^  (\d+) initialized hkls`)
	checked := 0
	for _, c := range m.Cases {
		hkl := ""
		for i, a := range c.Args {
			if a == "-hkl" && i+1 < len(c.Args) {
				hkl = c.Args[i+1]
			}
		}
		if hkl == "" {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			log, err := os.ReadFile(filepath.Join(g, c.Name, "c.log"))
			if err != nil {
				t.Fatal(err)
			}
			refl, rerr := readHKLFile(t, filepath.Join(g, hkl), HKLOptions{CParity: true})
			m := re.FindSubmatch(log)
			if m == nil {
				// nanoBragg stopped before simulating: it must be the
				// "not enough HKL indices" exit, i.e. no reflections
				if !strings.Contains(string(log), "not enough HKL indices") || !errors.Is(rerr, ErrNoReflections) {
					t.Errorf("c.log has no hkl count; reader gave %d reflections, error %v", len(refl), rerr)
				}
				checked++
				return
			}
			want, _ := strconv.Atoi(string(m[1]))
			if rerr != nil || len(refl) != want {
				t.Errorf("read %d reflections (error %v), nanoBragg counted %d", len(refl), rerr, want)
			}
			checked++
		})
	}
	if checked < 5 {
		t.Errorf("only %d golden hkl runs checked", checked)
	}
}

// TestReadHKLModes checks what distinguishes the two modes on small inputs.
func TestReadHKLModes(t *testing.T) {
	cases := []struct {
		name       string
		text       string
		spec, cpar []Reflection
	}{
		{"extra columns", "1 2 3 10 0.5 90\n4 5 6 20 0.7 45\n",
			[]Reflection{{1, 2, 3, 10}, {4, 5, 6, 20}},
			// C reads the sigma and phase columns as the next h and k
			nil},
		{"numbers across lines", "1 2\n3 10 4 5 6 20\n", nil,
			[]Reflection{{1, 2, 3, 10}, {4, 5, 6, 20}}},
		{"comment after data", "1 2 3 10\n# end\n4 5 6 20\n",
			[]Reflection{{1, 2, 3, 10}, {4, 5, 6, 20}}, []Reflection{{1, 2, 3, 10}}},
		{"partial record at end", "1 2 3 10\n4 5 6\n", nil, []Reflection{{1, 2, 3, 10}}},
		{"CRLF and tabs", "1\t2\t3\t10\r\n-4 -5 -6 2.5e1\r\n",
			[]Reflection{{1, 2, 3, 10}, {-4, -5, -6, 25}}, []Reflection{{1, 2, 3, 10}, {-4, -5, -6, 25}}},
		{"duplicates kept", "1 1 1 5\n1 1 1 7\n",
			[]Reflection{{1, 1, 1, 5}, {1, 1, 1, 7}}, []Reflection{{1, 1, 1, 5}, {1, 1, 1, 7}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, mode := range []struct {
				opt  HKLOptions
				want []Reflection
			}{{HKLOptions{}, c.spec}, {HKLOptions{CParity: true}, c.cpar}} {
				if mode.want == nil {
					continue
				}
				got, err := ReadHKL(strings.NewReader(c.text), "t.hkl", mode.opt)
				if err != nil {
					t.Errorf("CParity=%v: %v", mode.opt.CParity, err)
					continue
				}
				if len(got) != len(mode.want) {
					t.Errorf("CParity=%v: got %v, want %v", mode.opt.CParity, got, mode.want)
					continue
				}
				for i := range got {
					if got[i] != mode.want[i] {
						t.Errorf("CParity=%v reflection %d: got %v, want %v", mode.opt.CParity, i, got[i], mode.want[i])
					}
				}
			}
		})
	}
	// the extra-column file in C-parity mode: sigma/phase shift the records
	got, err := ReadHKL(strings.NewReader("1 2 3 10 0.5 90\n4 5 6 20 0.7 45\n"), "t.hkl", HKLOptions{CParity: true})
	if err == nil {
		t.Errorf("C-parity mode read shifted columns without complaint: %v", got)
	}
	// NaN F, which fscanf reads and C renders as NaN pixels, is refused
	// in C-parity mode too, naming the line.
	got, err = ReadHKL(strings.NewReader("0 0 0 1\n1 2 3 nan\n"), "t.hkl", HKLOptions{CParity: true})
	if err == nil || !strings.Contains(err.Error(), "t.hkl line 2: F = NaN is not finite") {
		t.Errorf("C-parity nan F: got %v, %v", got, err)
	}
}

// TestReadHKLMalformed checks that bad input gives an error naming the file
// and, for a bad line, the line number.
func TestReadHKLMalformed(t *testing.T) {
	cases := []struct {
		name    string
		text    string
		cparity bool
		want    string // substring of the error after the file name
	}{
		{"too few columns", "0 0 0 1\n0 0 0\n", false, "bad.hkl line 2: want 4 columns"},
		{"index not a number", "0 0 0 1\n1 x 0 2\n", false, `bad.hkl line 2: k "x" is not a number`},
		{"non-integer h", "0.5 0 0 1\n", false, "bad.hkl line 1: h = 0.5 is not an integer"},
		{"NaN F", "# header\n0 0 0 nan\n", false, "bad.hkl line 2: F = NaN is not finite"},
		{"infinite F", "0 0 0 1\n\n0 0 1 -Inf\n", false, "bad.hkl line 3: F = -Inf is not finite"},
		{"F not a number", "1 2 3 abc\n", false, `bad.hkl line 1: F "abc" is not a number`},
		{"F overflows", "1 2 3 1e999\n", false, `bad.hkl line 1: F "1e999" is not a number`},
		{"index out of range", "1 2 99999999999 5\n", false, "bad.hkl line 1: l = 99999999999 is out of range"},
		{"infinite index", "1 inf 2 5\n", false, "bad.hkl line 1: k = inf is not an integer"},
		{"grid too large", "0 0 0 1\n100000 100000 100000 1\n", false, "bad.hkl: indices h 0..100000"},
		{"C parity: decimal index", "1 2 3 4\n5 6 7.0 8\n", true, `bad.hkl line 2: l = "7.0" is not an integer`},
		{"C parity: exponent index", "1e2 0 0 4\n", true, `bad.hkl line 1: h = "1e2" is not an integer`},
		{"C parity: huge index", "0 0 0 1\n0 0 -3000000000 1\n", true, "bad.hkl line 2: l = -3000000000 is out of range"},
		{"empty file", "", false, "no reflections in bad.hkl"},
		{"only comments", "# a\n  # b\n\n", false, "no reflections in bad.hkl"},
		{"C parity: comment first", "# h k l F\n1 2 3 4\n", true, "no reflections in bad.hkl"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refl, err := ReadHKL(strings.NewReader(c.text), "bad.hkl", HKLOptions{CParity: c.cparity})
			if err == nil {
				t.Fatalf("no error; read %v", refl)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

// TestScanCFloat checks the fscanf("%lg") emulation on the forms C accepts
// and rejects.
func TestScanCFloat(t *testing.T) {
	cases := []struct {
		in   string
		v    float64
		end  int
		ok   bool
		desc string
	}{
		{"  12.5 ", 12.5, 6, true, "leading space"},
		{"-0.01-0.02", -0.01, 5, true, "abutting minus (Fortran)"},
		{"+.5e1x", 5, 5, true, "sign, leading dot, exponent"},
		{"3.", 3, 2, true, "trailing dot"},
		{"1e", 0, 0, false, "exponent without digits"},
		{"1e+x", 0, 0, false, "signed exponent without digits"},
		{"12abc", 12, 2, true, "number then letters"},
		{"#1", 0, 0, false, "comment"},
		{".", 0, 0, false, "lone dot"},
		{"-", 0, 0, false, "lone sign"},
		{"INF", math.Inf(1), 3, true, "inf"},
		{"-Infinity", math.Inf(-1), 9, true, "infinity"},
		{"1e999", math.Inf(1), 5, true, "overflow to inf as strtod"},
		{"\f\v7", 7, 3, true, "form feed and vertical tab are space"},
	}
	for _, c := range cases {
		v, end, ok := scanCFloat([]byte(c.in), 0)
		if ok != c.ok || (ok && (v != c.v || end != c.end)) {
			t.Errorf("%s: scanCFloat(%q) = %v, %d, %v; want %v, %d, %v", c.desc, c.in, v, end, ok, c.v, c.end, c.ok)
		}
	}
	if v, end, ok := scanCFloat([]byte("nan(123) 4"), 0); !ok || !math.IsNaN(v) || end != 8 {
		t.Errorf("nan(123): got %v, %d, %v", v, end, ok)
	}
}
