package config

import (
	"errors"
	"fmt"
)

// ErrHelp is returned by Parse when -help, -h or --help is given; the caller
// prints Usage and exits with status 0.
var ErrHelp = errors.New("help requested")

// UsageError is a command-line mistake: the option (or argument) at fault and
// what is wrong with it. The CLI prints it as one line and exits with status 2.
type UsageError struct {
	// Option is the option or argument as typed (or the header key that
	// supplied a bad value).
	Option string
	// Msg says what is wrong.
	Msg string
}

// Error returns "Option: Msg".
func (e *UsageError) Error() string {
	if e.Option == "" {
		return e.Msg
	}
	return e.Option + ": " + e.Msg
}

// usagef builds a *UsageError for option.
func usagef(option, format string, args ...any) *UsageError {
	return &UsageError{Option: option, Msg: fmt.Sprintf(format, args...)}
}

// ExitStatus is the CLI's exit status for err: 2 for a usage error (an
// option, its value or an input file's content), 1 otherwise.
func ExitStatus(err error) int {
	var u *UsageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}
