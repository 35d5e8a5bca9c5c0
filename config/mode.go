package config

import "fmt"

// Mode selects how faithfully gobragg follows nanoBragg.c's argument quirks.
type Mode int

const (
	// ModeSpec (the default) gives every option exactly its documented meaning.
	ModeSpec Mode = iota
	// ModeCParity also reproduces the C parser's side effects that change
	// results (see the package documentation for the list and the golden
	// cases that pin each one).
	ModeCParity
)

// String returns the -mode spelling: "spec" or "c-parity".
func (m Mode) String() string {
	if m == ModeCParity {
		return "c-parity"
	}
	return "spec"
}

// ParseMode converts a -mode value ("spec" or "c-parity") to a Mode.
func ParseMode(v string) (Mode, error) {
	switch v {
	case "spec":
		return ModeSpec, nil
	case "c-parity":
		return ModeCParity, nil
	}
	return ModeSpec, fmt.Errorf("unknown mode %q (want spec or c-parity)", v)
}
