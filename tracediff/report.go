package tracediff

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// WriteReport writes a human-readable report of res to w: the first
// differing line in full, a table of every difference, and the names that
// only one trace has. a and b are the traces res was computed from.
func WriteReport(w io.Writer, a, b *Trace, res *Result) error {
	var sb strings.Builder
	fa, fb := short(a.Family), short(b.Family)
	if fa == fb { // two traces of one family: number them
		fa, fb = fa+"(1)", fb+"(2)"
	}
	fmt.Fprintf(&sb, "tracediff: %-5s = %s (%s, %d lines, %d phi lines)\n", fa, a.Name, a.Family, len(a.Lines), len(a.Phi))
	fmt.Fprintf(&sb, "           %-5s = %s (%s, %d lines, %d phi lines)\n", fb, b.Name, b.Family, len(b.Lines), len(b.Phi))
	fmt.Fprintf(&sb, "tolerance: relative %g; compared %d values\n", res.Tol, res.Compared)

	if len(res.Diffs) > 0 {
		d := res.Diffs[0]
		fmt.Fprintf(&sb, "\nfirst difference: %s\n", describe(d, fa, fb))
		if d.TextA != "" {
			fmt.Fprintf(&sb, "  %-6s line %-5d %s\n", fa, d.LineA, d.TextA)
		}
		if d.TextB != "" {
			fmt.Fprintf(&sb, "  %-6s line %-5d %s\n", fb, d.LineB, d.TextB)
		}
		if d.Index >= 0 {
			fmt.Fprintf(&sb, "  %s=%s %s=%s rel=%s\n", fa, d.A, fb, d.B, fmtRel(d.RelErr))
		}

		fmt.Fprintf(&sb, "\ndifferences (%d):\n", len(res.Diffs))
		wName := len("NAME")
		for _, d := range res.Diffs {
			wName = max(wName, len(d.Name))
		}
		fmt.Fprintf(&sb, "  %-*s %4s %4s %-24s %-24s %s\n", wName, "NAME", "OCC", "IDX", fa, fb, "REL_ERR")
		for _, d := range res.Diffs {
			idx := "-"
			if d.Index >= 0 {
				idx = fmt.Sprint(d.Index)
			}
			va, vb := d.A, d.B
			if d.Index < 0 {
				va, vb = presence(d.LineA), presence(d.LineB)
			}
			fmt.Fprintf(&sb, "  %-*s %4d %4s %-24s %-24s %s", wName, d.Name, d.Occurrence, idx, va, vb, fmtRel(d.RelErr))
			if d.Note != "" {
				fmt.Fprintf(&sb, "  (%s)", d.Note)
			}
			sb.WriteByte('\n')
		}
	}

	fmt.Fprintf(&sb, "\nonly in %s (a difference): %s\n", fa, listMissing(res.OnlyA))
	fmt.Fprintf(&sb, "only in %s (informational): %s\n", fb, listMissing(res.OnlyB))
	if res.Differ() {
		fmt.Fprintf(&sb, "RESULT: DIFFER (%d differing values or lines, %d names only in %s)\n", len(res.Diffs), len(res.OnlyA), fa)
	} else {
		fmt.Fprintf(&sb, "RESULT: SAME (all %d values within %g)\n", res.Compared, res.Tol)
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// describe names a difference in one line.
func describe(d Diff, fa, fb string) string {
	s := fmt.Sprintf("%s occurrence %d", d.Name, d.Occurrence)
	if d.Index >= 0 {
		s += fmt.Sprintf(" value %d", d.Index)
	}
	switch {
	case d.LineA != 0 && d.LineB != 0:
		s += fmt.Sprintf(" (%s line %d, %s line %d)", fa, d.LineA, fb, d.LineB)
	case d.LineA != 0:
		s += fmt.Sprintf(" (%s line %d)", fa, d.LineA)
	default:
		s += fmt.Sprintf(" (%s line %d)", fb, d.LineB)
	}
	if d.Note != "" {
		s += ": " + d.Note
	}
	return s
}

func presence(line int) string {
	if line == 0 {
		return "(absent)"
	}
	return fmt.Sprintf("(line %d)", line)
}

func fmtRel(e float64) string {
	if math.IsInf(e, 1) {
		return "inf"
	}
	return fmt.Sprintf("%.3e", e)
}

func listMissing(m []Missing) string {
	if len(m) == 0 {
		return "none"
	}
	parts := make([]string, len(m))
	for i, x := range m {
		parts[i] = fmt.Sprintf("%s (%d)", x.Name, x.Count)
	}
	return strings.Join(parts, ", ")
}

// short is the label of a family in reports: "C" or "GO".
func short(f Family) string { return strings.TrimPrefix(string(f), "TRACE_") }
