// Package tracediff compares the per-pixel trace printed by nanoBragg's
// instrumented build (lines "TRACE_C: name v1 v2 ...") with the trace printed
// by gobragg (lines "TRACE_GO: name v1 v2 ...") and reports the first and
// every quantity whose values differ beyond a relative tolerance.
//
// Named lines are matched by name and occurrence: the k-th "hkl_frac" of one
// trace is compared with the k-th "hkl_frac" of the other. Per-phi-step lines
// ("TRACE_C_PHI phi_tic=0 phi_deg=0 k_frac=... F_latt=...") are matched by
// their phi_tic value and occurrence, and compared key by key. Geometry lines
// written without a space after the colon ("TRACE_C:fdet_after_rotz=..."),
// "TRACE:" lines and all other text are ignored.
//
// Each trace file may hold lines of either family. The first file (C's) is
// read with the TRACE_C family when it has any such lines and with TRACE_GO
// otherwise; the second file (gobragg's) prefers TRACE_GO and falls back to
// TRACE_C. A trace can therefore be compared with itself, and one log that
// holds both families can be given twice.
//
// Two numbers a and b on a line whose largest magnitude (over both traces) is
// scale agree when
//
//	rel = |a-b| / max(|a|, |b|, NearZero*scale) <= tol
//
// so that a single value is compared purely relatively (0 against 1e-300
// differs), while a vector component that is pure rounding noise compared
// with the rest of its vector (for instance 6.1e-15 next to 100 from
// cos(90°)) is compared against NearZero*scale instead of its own size.
// Identical values (including 0 and -0), two NaNs, and two equal infinities
// agree. Tokens that are not numbers must be identical strings.
//
// Quantities present in only one trace are listed separately. A name that C
// traces but gobragg does not, or an occurrence count that differs, counts as
// a difference; names that only gobragg prints (such as phi0_carryover) are
// informational.
package tracediff
