package main

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gobragg/tracediff"
)

// traceTol is tracediff's default relative tolerance: C prints %.15g, so
// values that agree to the last printed digit differ by at most ~1e-15.
const traceTol = 1e-9

// knownTraceDiffs names, per golden trace ("case/file"), the traced
// quantities that legitimately differ between C's TRACE_C and gobragg's
// TRACE_GO lines, with the reason. Every listed quantity must differ and
// no other may. It is empty: gobragg -mode c-parity reproduces every
// traced value of every golden trace within traceTol.
var knownTraceDiffs = map[string]map[string]string{}

// traceValue returns the values of the first "TRACE_GO: name v..." line of
// a trace.
func traceValue(text, name string) ([]float64, bool) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || f[0] != "TRACE_GO:" || f[1] != name {
			continue
		}
		var out []float64
		for _, s := range f[2:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	}
	return nil, false
}

// TestTracediffGoldenEndToEnd traces, for every golden trace, the same
// pixel with gobragg -mode c-parity (-trace_pixel SLOW FAST), then runs
// "gobragg tracediff C GO" and checks that exactly the quantities listed in
// knownTraceDiffs differ (none, so exit status 0).
func TestTracediffGoldenEndToEnd(t *testing.T) {
	m := goldenOrSkip(t)
	ran := 0
	seen := map[string]bool{}
	for i := range m.Cases {
		c := &m.Cases[i]
		for _, tr := range c.Traces {
			key := c.Name + "/" + tr.File
			seen[key] = true
			ran++
			t.Run(key, func(t *testing.T) {
				dir := t.TempDir()
				_, res := simulateCase(t, m, c, dir, "-trace_pixel", strconv.Itoa(tr.Slow), strconv.Itoa(tr.Fast))
				if !strings.Contains(res.stdout, "TRACE_GO:") {
					t.Fatalf("no TRACE_GO lines on stdout for -trace_pixel %d %d", tr.Slow, tr.Fast)
				}
				if !strings.Contains(res.stdout, "TRACE_GO: phi0_carryover ") {
					t.Errorf("c-parity trace has no \"TRACE_GO: phi0_carryover 0|1\" line")
				}
				goTrace := filepath.Join(dir, "go_trace.log")
				if err := os.WriteFile(goTrace, []byte(res.stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				cTrace := filepath.Join(m.Dir, c.Name, tr.File)

				known := knownTraceDiffs[key]
				r := runIn(t, dir, "tracediff", cTrace, goTrace)
				wantCode := 0
				if len(known) > 0 {
					wantCode = 1
				}
				if r.panicked != "" || r.code != wantCode {
					t.Errorf("tracediff exit status %d, want %d; stderr %q %s\n%s", r.code, wantCode, r.stderr, r.panicked, r.stdout)
				}

				// The same comparison through the package, to name what differs.
				a, b := parseTrace(t, cTrace, tracediff.FamilyC), parseTrace(t, goTrace, tracediff.FamilyGo)
				cmp, err := tracediff.Compare(a, b, traceTol)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for _, d := range cmp.Diffs {
					if _, dup := got[d.Name]; !dup {
						got[d.Name] = "C " + d.A + ", GO " + d.B + ", rel " + strconv.FormatFloat(d.RelErr, 'g', 3, 64) + " " + d.Note
					}
				}
				for _, mi := range cmp.OnlyA {
					got[mi.Name] = "traced by C only"
				}
				for name, why := range got {
					if _, ok := known[name]; !ok {
						t.Errorf("%s differs unexpectedly: %s", name, why)
					}
				}
				for name, reason := range known {
					if _, ok := got[name]; !ok {
						t.Errorf("%s was expected to differ (%s) but agrees: remove it from knownTraceDiffs", name, reason)
					}
				}
				if cmp.Compared == 0 {
					t.Errorf("tracediff compared no values")
				}
			})
		}
	}
	for key := range knownTraceDiffs {
		if !seen[key] {
			t.Errorf("knownTraceDiffs names %s, which is not a golden trace", key)
		}
	}
	if ran == 0 {
		t.Fatal("the golden manifest lists no trace")
	}
	t.Logf("diffed %d golden traces", ran)
}

func parseTrace(t *testing.T, path string, fam tracediff.Family) *tracediff.Trace {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := tracediff.Parse(f, path, fam)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestTraceSupervisorPixel checks two values of supervisor_roi's traced
// pixel (slow 685, fast 1039) against C's trace: F_latt at phi step 0, which
// in an ROI run depends on the phi=0 orientation carried over from the
// previous pixel, and the pixel's total I_before_scaling. Tolerance 1e-6
// relative: far above print rounding, far below what a wrong orientation
// would give.
func TestTraceSupervisorPixel(t *testing.T) {
	m := goldenOrSkip(t)
	c, ok := m.Case("supervisor_roi")
	if !ok {
		t.Skip("golden case supervisor_roi not found: skipping")
	}
	dir := t.TempDir()
	_, res := simulateCase(t, m, c, dir, "-trace_pixel", "685", "1039")
	want := map[string]float64{
		"F_latt":           -2.38319665299058,
		"I_before_scaling": 943654.80923755,
	}
	names := make([]string, 0, len(want))
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		v, ok := traceValue(res.stdout, name)
		if !ok || len(v) != 1 {
			t.Errorf("no single-valued TRACE_GO: %s line", name)
			continue
		}
		if rel := math.Abs(v[0]-want[name]) / math.Abs(want[name]); !(rel <= 1e-6) {
			t.Errorf("%s = %.15g, C %.15g (rel %.3g)", name, v[0], want[name], rel)
		}
	}
	if v, ok := traceValue(res.stdout, "phi0_carryover"); !ok || len(v) != 1 || v[0] != 1 {
		t.Errorf("phi0_carryover = %v (found %v), want 1: slow 685 fast 1039 is not the first pixel of the ROI", v, ok)
	}
}
