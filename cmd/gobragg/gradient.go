package main

import (
	"fmt"
	"io"
)

// runGradient is filled in by the gradient work; until then it says so.
func runGradient(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "gobragg gradient: not available yet")
	return 2
}
