package tracediff

// Help is the text of "gobragg tracediff -help": the synopsis, the options
// and the exit status.
const Help = `usage: gobragg tracediff C.log GO.log [-tol T]

Compares two pixel traces: C nanoBragg's TRACE_C: lines (its instrumented
build, -trace_pixel SLOW FAST) and gobragg's TRACE_GO: lines (gobragg
-trace_pixel SLOW FAST). Lines are paired by name and occurrence (phi lines
by phi_tic); the report names the first quantity whose values differ beyond
the tolerance, then lists every differing quantity with both values and the
relative error, and the names found in only one trace.

Options:
  -tol T       relative tolerance, a number >= 0 (default 1e-9: far above the
               1e-15 relative rounding of the 15 digits C prints, far below any
               physics error)
  -help, -h    print this help and exit

Exit status: 0 when no value differs beyond -tol, 1 when some do, 2 on bad
input (unknown option, unreadable file, a file without trace lines), after
one line on stderr.
`
