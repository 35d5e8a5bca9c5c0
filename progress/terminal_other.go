//go:build !linux

package progress

import "os"

// IsTerminal reports whether f is a character device other than a file:
// a terminal on the systems gobragg runs on (without isatty's ioctl, a
// redirection to /dev/null also counts).
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
