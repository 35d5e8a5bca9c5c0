// Package progress shows how far a long computation (a render, a gradient,
// a sweep of images, a refinement's iterations) has got, in one of two
// forms: nanoBragg's "N% done" lines, for logs, or a bar redrawn in place
// with the percentage, the rate and the time left, for a terminal.
//
// A Meter counts abstract units (pixels, images, iterations) against a
// total fixed up front; Update reports how many are done and Finish ends
// the display. New picks the form the way gobragg does: a bar on stderr
// when stderr is a terminal, lines on the log otherwise. Every method
// of a nil *Meter does nothing (Println only writes its line), so callers
// need no "if progress" tests.
package progress
