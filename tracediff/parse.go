package tracediff

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Family names a trace line family: FamilyC for nanoBragg's "TRACE_C" lines
// and FamilyGo for gobragg's "TRACE_GO" lines.
type Family string

const (
	FamilyC  Family = "TRACE_C"
	FamilyGo Family = "TRACE_GO"
)

// Line is one named trace line "TRACE_C: name v1 v2 ...".
type Line struct {
	Name       string   // quantity name, e.g. "hkl_frac"
	Occurrence int      // 1 for the first line with this name, 2 for the second, ...
	LineNo     int      // 1-based line number in the file
	Values     []string // the value tokens as printed
	Text       string   // the whole line, for reports
}

// PhiLine is one per-phi-step line "TRACE_C_PHI phi_tic=0 k_frac=...".
type PhiLine struct {
	Tic        string   // the phi_tic value as printed
	Occurrence int      // 1 for the first line with this phi_tic, 2 for the second, ...
	LineNo     int      // 1-based line number in the file
	Keys       []string // keys in printed order, phi_tic excluded
	Values     map[string]string
	Text       string
}

// Trace is the parsed content of one trace file.
type Trace struct {
	Name   string // file name, for messages
	Family Family // the family that was read
	Lines  []Line
	Phi    []PhiLine
}

// ErrUnknownFormat is wrapped by Parse when a file holds no trace lines.
var ErrUnknownFormat = fmt.Errorf("unknown trace format")

// Parse reads the trace lines of one family from r. It reads family prefer
// when r holds any of its lines and the other family otherwise. name is used
// in error messages. A file with no per-pixel or per-phi trace lines of
// either family yields an error wrapping ErrUnknownFormat.
func Parse(r io.Reader, name string, prefer Family) (*Trace, error) {
	other := FamilyGo
	if prefer == FamilyGo {
		other = FamilyC
	} else if prefer != FamilyC {
		return nil, fmt.Errorf("trace %s: unknown family %q", name, prefer)
	}
	byFam := map[Family]*Trace{
		prefer: {Name: name, Family: prefer},
		other:  {Name: name, Family: other},
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimRight(sc.Text(), "\r")
		for fam, tr := range byFam {
			if err := tr.addLine(fam, text, n); err != nil {
				return nil, fmt.Errorf("trace %s line %d: %w", name, n, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("trace %s: %w", name, err)
	}
	for _, fam := range []Family{prefer, other} {
		if tr := byFam[fam]; len(tr.Lines)+len(tr.Phi) > 0 {
			tr.number()
			return tr, nil
		}
	}
	return nil, fmt.Errorf("trace %s: %w (no %q or %q lines)", name, ErrUnknownFormat, FamilyC+": ", FamilyGo+": ")
}

// addLine records text when it is a trace line of family fam.
func (tr *Trace) addLine(fam Family, text string, lineNo int) error {
	if rest, ok := strings.CutPrefix(text, string(fam)+"_PHI "); ok {
		p := PhiLine{LineNo: lineNo, Values: map[string]string{}, Text: text}
		for _, f := range strings.Fields(rest) {
			k, v, ok := strings.Cut(f, "=")
			if !ok || k == "" {
				return fmt.Errorf("%s_PHI field %q is not key=value", fam, f)
			}
			if _, dup := p.Values[k]; dup || (k == "phi_tic" && p.Tic != "") {
				return fmt.Errorf("%s_PHI key %q repeated", fam, k)
			}
			if k == "phi_tic" {
				p.Tic = v
				continue
			}
			p.Keys = append(p.Keys, k)
			p.Values[k] = v
		}
		if p.Tic == "" {
			return fmt.Errorf("%s_PHI line without phi_tic", fam)
		}
		tr.Phi = append(tr.Phi, p)
		return nil
	}
	// "TRACE_C: name values" has a space after the colon; geometry lines
	// "TRACE_C:name=value" do not and are ignored.
	rest, ok := strings.CutPrefix(text, string(fam)+": ")
	if !ok {
		return nil
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return nil
	}
	tr.Lines = append(tr.Lines, Line{Name: f[0], LineNo: lineNo, Values: f[1:], Text: text})
	return nil
}

// number sets the Occurrence fields.
func (tr *Trace) number() {
	seen := map[string]int{}
	for i := range tr.Lines {
		seen[tr.Lines[i].Name]++
		tr.Lines[i].Occurrence = seen[tr.Lines[i].Name]
	}
	seenTic := map[string]int{}
	for i := range tr.Phi {
		seenTic[tr.Phi[i].Tic]++
		tr.Phi[i].Occurrence = seenTic[tr.Phi[i].Tic]
	}
}

// parseNumber parses a trace token as printed by C's %.15g or %d, or by Go's
// strconv: decimal and exponent forms, "inf", "-inf", "nan" and "-nan" in any
// case. ok is false for anything else.
func parseNumber(s string) (v float64, ok bool) {
	t := strings.TrimLeft(s, "+-")
	if strings.EqualFold(t, "nan") {
		return math.NaN(), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// ParseFloat reports out-of-range values (1e999) with ±Inf and an
		// error; keep them as numbers.
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}
