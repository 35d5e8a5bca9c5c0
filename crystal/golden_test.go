package crystal

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gobragg/dual"
	"gobragg/internal/golden"
)

// cellFromArgs turns a golden case's nanoBragg arguments into a CellInput
// the way nanoBragg's parser does (-cell stops at an argument starting with
// '-'; angles are deg/RTD; -lambda, -wave and -energy set the wavelength).
// A non-empty skip reason is returned for random misset orientations, which
// come from the crand package.
func cellFromArgs(t *testing.T, g string, args []string) (in CellInput, skip string) {
	t.Helper()
	in.LambdaM = dual.C(1.0e-10)
	atof := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("argument %q: %v", s, err)
		}
		return v
	}
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-cell":
			in.UserCell = true
			dst := []*dual.Num{&in.A, &in.B, &in.C, &in.Alpha, &in.Beta, &in.Gamma}
			for j, d := range dst {
				if i+1+j >= len(args) || strings.HasPrefix(args[i+1+j], "-") {
					break
				}
				v := atof(args[i+1+j])
				if j >= 3 {
					v = DegToRad(v)
				}
				*d = dual.C(v)
			}
		case "-misset":
			if strings.Contains(args[i+1], "rand") {
				return in, "random misset"
			}
			in.Misset = &[3]dual.Num{dual.C(DegToRad(atof(args[i+1]))), dual.C(DegToRad(atof(args[i+2]))), dual.C(DegToRad(atof(args[i+3])))}
		case "-misset_seed":
			return in, "misset seed"
		case "-mat":
			f, err := os.Open(filepath.Join(g, args[i+1]))
			if err != nil {
				t.Fatal(err)
			}
			m, err := ReadMat(f, args[i+1])
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			var md [9]dual.Num
			for k, v := range m {
				md[k] = dual.C(v)
			}
			in.Mat = &md
		case "-lambda", "-wave":
			in.LambdaM = dual.C(atof(args[i+1]) / 1.0e10)
		case "-energy":
			in.LambdaM = dual.C((12398.42 / atof(args[i+1])) / 1.0e10)
		}
	}
	return in, ""
}

// goldenLattice builds the lattice of a golden case's arguments (see
// cellFromArgs), skipping the test when the orientation comes from crand.
func goldenLattice(t *testing.T, g string, args []string) Lattice {
	t.Helper()
	in, skip := cellFromArgs(t, g, args)
	if skip != "" {
		t.Skipf("%s: orientation comes from crand", skip)
	}
	l, err := BuildLattice(in)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// readLines returns the lines of a golden text file (nil when absent).
func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		t.Fatal(err)
	}
	return strings.Split(string(b), "\n")
}

// summaryLines is the number of lines Summary prints.
const summaryLines = 13

// TestSummaryGolden compares Summary with the cell report of every golden
// c.log that prints one (all cases except random misset orientations).
func TestSummaryGolden(t *testing.T) {
	m := golden.Require(t)
	g := m.Dir
	checked := 0
	for _, c := range m.Cases {
		t.Run(c.Name, func(t *testing.T) {
			lines := readLines(t, filepath.Join(g, c.Name, "c.log"))
			start := -1
			for i, l := range lines {
				if strings.HasPrefix(l, "Unit Cell: ") {
					start = i
					break
				}
			}
			if start < 0 {
				t.Skip("c.log prints no cell")
			}
			l := goldenLattice(t, g, c.Args)
			got := strings.Split(strings.TrimSuffix(l.Summary(), "\n"), "\n")
			if len(got) != summaryLines || start+summaryLines > len(lines) {
				t.Fatalf("Summary has %d lines, want %d", len(got), summaryLines)
			}
			for i, gl := range got {
				if want := lines[start+i]; gl != want {
					t.Errorf("line %d:\n got %q\nwant %q", i+1, gl, want)
				}
			}
			checked++
		})
	}
	if checked < 40 {
		t.Errorf("only %d golden cell reports checked", checked)
	}
}

// TestLatticeTraceGolden checks the lattice against the instrumented C
// build's trace.log: the set-up "TRACE:" lines (%g, every trace case) and
// the per-pixel "TRACE_C: rot_*" lines (%.15g; only cases without phi or
// mosaic rotation, where the traced orientation is the phi=0 one).
func TestLatticeTraceGolden(t *testing.T) {
	m := golden.Require(t)
	g := m.Dir
	checked := 0
	for _, c := range m.Cases {
		lines := readLines(t, filepath.Join(g, c.Name, "trace.log"))
		if lines == nil {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			l := goldenLattice(t, g, c.Args)
			have := map[string]bool{}
			for _, s := range lines {
				have[s] = true
			}
			vec := func(v dual.Vec3) string {
				x := v.Values()
				return "[" + cG(x[0]) + ", " + cG(x[1]) + ", " + cG(x[2]) + "]"
			}
			var want []string
			for i, n := range []string{"a", "b", "c"} {
				va, vm := l.VectorsA[i], [3]dual.Vec3{l.A, l.B, l.C}[i]
				want = append(want,
					"TRACE:   "+n+" = "+vec(va)+" |"+n+"| = "+cG(l.LengthsA[i].V),
					"TRACE:   After conversion: "+n+" = "+vec(vm)+" |"+n+"| = "+cG(vm.Norm().V)+" meters")
				vs := [3]dual.Vec3{l.AStar, l.BStar, l.CStar}[i]
				want = append(want, "TRACE:   After re-generation: "+n+"_star = "+vec(vs)+" |"+n+"_star| = "+cG(l.RecipLengthsInvA[i].V))
			}
			rotating := false
			for _, a := range c.Args {
				if a == "-phisteps" || a == "-osc" || strings.HasPrefix(a, "-mosaic") {
					rotating = true
				}
			}
			if !rotating {
				g15 := func(x float64) string { return strconv.FormatFloat(x, 'g', 15, 64) }
				for i, n := range []string{"a", "b", "c"} {
					vm := [3]dual.Vec3{l.A, l.B, l.C}[i].Values()
					vs := [3]dual.Vec3{l.AStar, l.BStar, l.CStar}[i].Values()
					want = append(want,
						"TRACE_C: rot_"+n+"_angstroms "+g15(vm[0]*1e10)+" "+g15(vm[1]*1e10)+" "+g15(vm[2]*1e10),
						"TRACE_C: rot_"+n+"_star_A_inv "+g15(vs[0])+" "+g15(vs[1])+" "+g15(vs[2]))
				}
			}
			for _, w := range want {
				if !have[w] {
					t.Errorf("trace.log has no line %q", w)
				}
			}
			checked++
		})
	}
	if checked < 10 {
		t.Errorf("only %d trace files checked", checked)
	}
}
