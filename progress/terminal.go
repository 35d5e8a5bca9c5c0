package progress

import (
	"io"
	"os"
)

// Terminal returns the terminal w writes to, or nil when it writes to
// none: w itself when it is an *os.File and a terminal, or, for a writer
// that wraps another (an Unwrap() io.Writer method, such as a stderr that
// falls silent on an interrupt), the terminal of the one it wraps.
func Terminal(w io.Writer) *os.File {
	for w != nil {
		if f, ok := w.(*os.File); ok {
			if IsTerminal(f) {
				return f
			}
			return nil
		}
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}
