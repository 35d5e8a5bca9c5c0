package tracediff

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestRelErr(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name        string
		a, b, scale float64
		want        float64
	}{
		{"equal", 4.5, 4.5, 4.5, 0},
		{"zero and minus zero", 0, math.Copysign(0, -1), 0, 0},
		{"two NaNs", nan, nan, 0, 0},
		{"NaN and number", nan, 1, 1, inf},
		{"equal infinities", inf, inf, 0, 0},
		{"opposite infinities", inf, -inf, 0, inf},
		{"infinity and number", 1, -inf, 1, inf},
		{"relative 1e-6", 2, 2 * (1 + 1e-6), 2, 1e-6 / (1 + 1e-6)},
		{"sign flip", -3, 3, 3, 2},
		{"scalar zero against tiny", 0, 1e-300, 1e-300, 1},
		{"noise component on a vector of scale 100", 6.12323399573677e-15, 6.2e-15, 100, (6.2e-15 - 6.12323399573677e-15) / (NearZero * 100)},
		{"small but real component", 0.00995, 0.00996, 1, 0.00001 / 0.00996},
	}
	for _, tc := range tests {
		got := RelErr(tc.a, tc.b, tc.scale)
		if !(got == tc.want || math.Abs(got-tc.want) <= 1e-9*math.Abs(tc.want)) {
			t.Errorf("%s: RelErr(%g, %g, %g) = %g, want %g", tc.name, tc.a, tc.b, tc.scale, got, tc.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"-1.00015256741723", -1.00015256741723, true},
		{"1.25932015286227e+29", 1.25932015286227e+29, true},
		{"-0", math.Copysign(0, -1), true},
		{"17", 17, true},
		{"inf", math.Inf(1), true},
		{"-inf", math.Inf(-1), true},
		{"-nan", math.NaN(), true},
		{"NaN", math.NaN(), true},
		{"1e999", math.Inf(1), true},
		{"0x", 0, false},
		{"abc", 0, false},
		{"[1", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseNumber(tc.in)
		same := got == tc.want || (math.IsNaN(got) && math.IsNaN(tc.want))
		if ok != tc.ok || (ok && !same) {
			t.Errorf("parseNumber(%q) = %g, %v; want %g, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

const smallC = `nanoBragg header text
TRACE_C:fdet_after_rotz=0 0 1
TRACE: Computing cross products
TRACE_CONFIG: tracing pixel (spixel=1, fpixel=2)
TRACE_C: pixel_pos_meters 0.1 -0.001 0.002
TRACE_C: hkl_frac 0.5 -1.25 2
TRACE_C_PHI phi_tic=0 phi_deg=0 k_frac=-1.25 F_latt=3
TRACE_C_PHI phi_tic=1 phi_deg=0.1 k_frac=-1.5 F_latt=4
TRACE_C: steps 2
TRACE_C: pixel_pos_meters 0.1 -0.001 0.003
TRACE_C: hkl_frac 0.5 -1.25 3
TRACE_C_PHI phi_tic=0 phi_deg=0 k_frac=-1.25 F_latt=5
`

func TestParse(t *testing.T) {
	tr, err := Parse(strings.NewReader(smallC), "small", FamilyC)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Family != FamilyC {
		t.Errorf("family %s, want %s", tr.Family, FamilyC)
	}
	var got []string
	for _, l := range tr.Lines {
		got = append(got, fmt.Sprintf("%s#%d@%d%v", l.Name, l.Occurrence, l.LineNo, l.Values))
	}
	want := []string{
		"pixel_pos_meters#1@5[0.1 -0.001 0.002]",
		"hkl_frac#1@6[0.5 -1.25 2]",
		"steps#1@9[2]",
		"pixel_pos_meters#2@10[0.1 -0.001 0.003]",
		"hkl_frac#2@11[0.5 -1.25 3]",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("named lines:\n got %v\nwant %v", got, want)
	}
	got = nil
	for _, p := range tr.Phi {
		got = append(got, fmt.Sprintf("tic%s#%d@%d%v=%v", p.Tic, p.Occurrence, p.LineNo, p.Keys, p.Values["F_latt"]))
	}
	want = []string{"tic0#1@7[phi_deg k_frac F_latt]=3", "tic1#1@8[phi_deg k_frac F_latt]=4", "tic0#2@12[phi_deg k_frac F_latt]=5"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("phi lines:\n got %v\nwant %v", got, want)
	}

	// A file with only TRACE_C lines read with TRACE_GO preferred falls
	// back to TRACE_C; a file with both families gives the preferred one.
	both := smallC + "TRACE_GO: steps 2\n"
	for _, tc := range []struct {
		text         string
		prefer, want Family
		lines        int
	}{
		{smallC, FamilyGo, FamilyC, 5},
		{both, FamilyGo, FamilyGo, 1},
		{both, FamilyC, FamilyC, 5},
	} {
		tr, err := Parse(strings.NewReader(tc.text), "x", tc.prefer)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Family != tc.want || len(tr.Lines) != tc.lines {
			t.Errorf("prefer %s: got family %s with %d lines, want %s with %d", tc.prefer, tr.Family, len(tr.Lines), tc.want, tc.lines)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
		unknown             bool
	}{
		{"empty", "", "unknown trace format", true},
		{"plain text", "hello\nworld\n", "unknown trace format", true},
		{"only geometry and TRACE lines", "TRACE_C:fdet=0 0 1\nTRACE: a_star = [1]\nTRACE_CONFIG: x\n", "unknown trace format", true},
		{"phi line without phi_tic", "TRACE_C: steps 1\nTRACE_C_PHI phi_deg=0 k_frac=1\n", "line 2: TRACE_C_PHI line without phi_tic", false},
		{"phi field without =", "TRACE_C_PHI phi_tic=0 k_frac\n", "line 1: TRACE_C_PHI field \"k_frac\" is not key=value", false},
		{"phi key repeated", "TRACE_C_PHI phi_tic=0 k=1 k=2\n", "line 1: TRACE_C_PHI key \"k\" repeated", false},
	}
	for _, tc := range tests {
		_, err := Parse(strings.NewReader(tc.text), "bad.log", FamilyC)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), "bad.log") || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: error %q does not name the file and %q", tc.name, err, tc.wantErr)
		}
		if errors.Is(err, ErrUnknownFormat) != tc.unknown {
			t.Errorf("%s: errors.Is(err, ErrUnknownFormat) = %v, want %v", tc.name, !tc.unknown, tc.unknown)
		}
	}
}

func mustParse(t *testing.T, text string, fam Family) *Trace {
	t.Helper()
	tr, err := Parse(strings.NewReader(text), "test", fam)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestCompareStructure(t *testing.T) {
	a := mustParse(t, smallC, FamilyC)
	tests := []struct {
		name      string
		goText    string
		wantDiffs []string // name#occ[idx] in report order
		onlyA     string
		onlyB     string
		differ    bool
	}{
		{"identical rewrite", strings.ReplaceAll(smallC, "TRACE_C", "TRACE_GO"), nil, "", "", false},
		{"extra Go-only name", strings.ReplaceAll(smallC, "TRACE_C", "TRACE_GO") + "TRACE_GO: phi0_carryover 1\n", nil, "", "phi0_carryover(1)", false},
		{"missing name", strings.ReplaceAll(strings.ReplaceAll(smallC, "TRACE_C: steps 2\n", ""), "TRACE_C", "TRACE_GO"), nil, "steps(1)", "", true},
		{"missing occurrence", strings.ReplaceAll(strings.Replace(smallC, "TRACE_C: hkl_frac 0.5 -1.25 3\n", "", 1), "TRACE_C", "TRACE_GO"),
			[]string{"hkl_frac#2[-1]"}, "", "", true},
		{"extra occurrence", strings.ReplaceAll(smallC+"TRACE_C: steps 2\n", "TRACE_C", "TRACE_GO"),
			[]string{"steps#2[-1]"}, "", "", true},
		{"value count", strings.ReplaceAll(strings.Replace(smallC, "hkl_frac 0.5 -1.25 2", "hkl_frac 0.5 -1.25", 1), "TRACE_C", "TRACE_GO"),
			[]string{"hkl_frac#1[-1]"}, "", "", true},
		{"two components and a phi key", strings.ReplaceAll(strings.NewReplacer(
			"hkl_frac 0.5 -1.25 3", "hkl_frac 0.5 -1.26 3.1",
			"phi_deg=0.1 k_frac=-1.5", "phi_deg=0.1 k_frac=-1.6").Replace(smallC), "TRACE_C", "TRACE_GO"),
			[]string{"phi[tic=1].k_frac#1[0]", "hkl_frac#2[1]", "hkl_frac#2[2]"}, "", "", true},
		{"missing phi step", strings.ReplaceAll(strings.Replace(smallC, "TRACE_C_PHI phi_tic=1 phi_deg=0.1 k_frac=-1.5 F_latt=4\n", "", 1), "TRACE_C", "TRACE_GO"),
			[]string{"phi[tic=1]#1[-1]"}, "", "", true},
		{"string token differs", strings.ReplaceAll(strings.Replace(smallC, "steps 2", "steps two", 1), "TRACE_C", "TRACE_GO"),
			[]string{"steps#1[0]"}, "", "", true},
	}
	for _, tc := range tests {
		b := mustParse(t, tc.goText, FamilyGo)
		res, err := Compare(a, b, DefaultTol)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range res.Diffs {
			got = append(got, fmt.Sprintf("%s#%d[%d]", d.Name, d.Occurrence, d.Index))
		}
		if strings.Join(got, " ") != strings.Join(tc.wantDiffs, " ") {
			t.Errorf("%s: diffs %v, want %v", tc.name, got, tc.wantDiffs)
		}
		if s := missing(res.OnlyA); s != tc.onlyA {
			t.Errorf("%s: only in C %q, want %q", tc.name, s, tc.onlyA)
		}
		if s := missing(res.OnlyB); s != tc.onlyB {
			t.Errorf("%s: only in GO %q, want %q", tc.name, s, tc.onlyB)
		}
		if res.Differ() != tc.differ {
			t.Errorf("%s: Differ() = %v, want %v", tc.name, res.Differ(), tc.differ)
		}
	}
}

func missing(m []Missing) string {
	var s []string
	for _, x := range m {
		s = append(s, fmt.Sprintf("%s(%d)", x.Name, x.Count))
	}
	return strings.Join(s, " ")
}

func TestCompareTolerance(t *testing.T) {
	a := mustParse(t, "TRACE_C: F_latt 124.394815540063\n", FamilyC)
	b := mustParse(t, "TRACE_GO: F_latt 124.394815664458\n", FamilyGo) // 1.0000e-9 relative
	for _, tc := range []struct {
		tol    float64
		differ bool
	}{{1e-10, true}, {1.01e-9, false}, {0, true}} {
		res, err := Compare(a, b, tc.tol)
		if err != nil {
			t.Fatal(err)
		}
		if res.Differ() != tc.differ {
			t.Errorf("tol %g: Differ() = %v, want %v", tc.tol, res.Differ(), tc.differ)
		}
	}
	if _, err := Compare(a, b, -1); err == nil {
		t.Error("negative tolerance accepted")
	}
	if _, err := Compare(a, b, math.NaN()); err == nil {
		t.Error("NaN tolerance accepted")
	}
}

// run calls Main and returns its status, stdout and stderr.
func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	rc := Main(args, &out, &errb)
	return rc, out.String(), errb.String()
}

func TestGoldenSelf(t *testing.T) {
	for _, f := range goldenTraces(t) {
		rc, out, errs := run(f, f)
		if rc != 0 || errs != "" || !strings.Contains(out, "RESULT: SAME") {
			t.Errorf("%s vs itself: exit %d, stderr %q, stdout:\n%s", f, rc, errs, out)
		}
	}
}

func TestGoldenGoRewrite(t *testing.T) {
	dir := t.TempDir()
	for i, f := range goldenTraces(t) {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		goText := strings.ReplaceAll(string(text), "TRACE_C", "TRACE_GO") + "TRACE_GO: phi0_carryover 1\n"
		g := filepath.Join(dir, fmt.Sprintf("go%d.log", i))
		if err := os.WriteFile(g, []byte(goText), 0o644); err != nil {
			t.Fatal(err)
		}
		rc, out, errs := run("-tol", "1e-12", f, g)
		if rc != 0 || errs != "" || !strings.Contains(out, "only in GO (informational): phi0_carryover (1)") {
			t.Errorf("%s vs its TRACE_GO rewrite: exit %d, stderr %q, stdout:\n%s", f, rc, errs, out)
		}
		a, b := mustParse(t, string(text), FamilyC), mustParse(t, goText, FamilyGo)
		if len(a.Lines) == 0 || len(a.Lines)+1 != len(b.Lines) || len(a.Phi) != len(b.Phi) {
			t.Errorf("%s: parsed %d+%d lines from C, %d+%d from the rewrite", f, len(a.Lines), len(a.Phi), len(b.Lines), len(b.Phi))
		}
	}
}

// TestGoldenPerturbed changes one value of one line of each golden trace by
// a relative 1e-6 and checks that exactly that value is reported, first.
func TestGoldenPerturbed(t *testing.T) {
	dir := t.TempDir()
	for i, f := range goldenTraces(t) {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(text), "\n")
		// Pick the named line two thirds of the way through the trace and
		// perturb its largest-magnitude value.
		var named []int
		for j, l := range lines {
			if strings.HasPrefix(l, "TRACE_C: ") {
				named = append(named, j)
			}
		}
		j := named[2*len(named)/3]
		fields := strings.Fields(lines[j])
		best, bestAbs := -1, 0.0
		for k := 2; k < len(fields); k++ {
			if v, ok := parseNumber(fields[k]); ok && math.Abs(v) > bestAbs && !math.IsInf(v, 0) {
				best, bestAbs = k, math.Abs(v)
			}
		}
		if best < 0 {
			t.Fatalf("%s line %d: no nonzero value to perturb: %s", f, j+1, lines[j])
		}
		v, _ := parseNumber(fields[best])
		orig := fields[best]
		fields[best] = strconv.FormatFloat(v*(1+1e-6), 'g', 15, 64)
		lines[j] = strings.Join(fields, " ")
		name := fields[1]
		occ := 0
		for _, k := range named {
			if k <= j && strings.Fields(lines[k])[1] == name {
				occ++
			}
		}
		g := filepath.Join(dir, fmt.Sprintf("perturbed%d.log", i))
		if err := os.WriteFile(g, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}

		a, b := mustParse(t, string(text), FamilyC), mustParse(t, strings.Join(lines, "\n"), FamilyGo)
		res, err := Compare(a, b, DefaultTol)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diffs) != 1 || len(res.OnlyA) != 0 || len(res.OnlyB) != 0 {
			t.Errorf("%s: perturbing %s #%d value %d gave %d diffs (%v), only-in %v %v; want exactly that one", f, name, occ, best-2, len(res.Diffs), res.Diffs, res.OnlyA, res.OnlyB)
			continue
		}
		d := res.Diffs[0]
		if d.Name != name || d.Occurrence != occ || d.Index != best-2 || d.A != orig || d.B != fields[best] || d.LineA != j+1 {
			t.Errorf("%s: reported %+v, want %s #%d value %d at line %d (%s -> %s)", f, d, name, occ, best-2, j+1, orig, fields[best])
		}
		if math.Abs(d.RelErr-1e-6) > 1e-8 {
			t.Errorf("%s: relative error %g, want 1e-6", f, d.RelErr)
		}

		rc, out, errs := run(f, g)
		wantFirst := fmt.Sprintf("first difference: %s occurrence %d value %d (C(1) line %d, C(2) line %d)", name, occ, best-2, j+1, j+1)
		if rc != 1 || errs != "" || !strings.Contains(out, wantFirst) {
			t.Errorf("%s vs perturbed copy: exit %d (want 1), stderr %q, stdout lacks %q:\n%s", f, rc, errs, wantFirst, out)
		}
	}
}

func TestMainBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.log")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("good.log", smallC)
	empty := write("empty.log", "")
	plain := write("plain.log", "nanoBragg says hello\nTRACE_C:fdet=0 0 1\n")
	badPhi := write("badphi.log", "TRACE_C_PHI k_frac=1\n")
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"missing file", []string{good, filepath.Join(dir, "nope.log")}, "nope.log"},
		{"empty file", []string{empty, good}, "unknown trace format"},
		{"no trace lines", []string{good, plain}, "unknown trace format"},
		{"bad phi line", []string{badPhi, good}, "without phi_tic"},
		{"unknown option", []string{good, good, "-tolerance", "1"}, `unknown option "-tolerance"`},
		{"bad tol", []string{good, good, "-tol", "abc"}, "bad value"},
		{"negative tol", []string{good, good, "-tol=-1"}, "bad value"},
		{"missing tol value", []string{good, good, "-tol"}, "needs a value"},
		{"one file", []string{good}, "need two trace files"},
		{"three files", []string{good, good, good}, "need two trace files"},
	}
	for _, tc := range tests {
		rc, out, errs := run(tc.args...)
		if rc != 2 {
			t.Errorf("%s: exit %d, want 2", tc.name, rc)
		}
		if out != "" {
			t.Errorf("%s: stdout %q, want nothing", tc.name, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") || !strings.Contains(errs, tc.wantErr) {
			t.Errorf("%s: stderr %q, want one line containing %q", tc.name, errs, tc.wantErr)
		}
	}
	// -tol accepts both spellings.
	for _, args := range [][]string{{good, good, "-tol", "0"}, {"-tol=0", good, good}, {"--tol", "0", good, good}} {
		if rc, _, errs := run(args...); rc != 0 {
			t.Errorf("%v: exit %d, stderr %q", args, rc, errs)
		}
	}
}
