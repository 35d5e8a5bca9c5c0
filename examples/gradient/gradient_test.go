package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestRunSmall runs the example on a 24x24 detector and checks that it
// prints both losses, a line per parameter for each, and a negative
// directional derivative towards the target.
func TestRunSmall(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, 24); err != nil {
		t.Fatalf("run: %v", err)
	}
	text := out.String()
	for _, want := range []string{"loss = sum of the 24x24 image", "loss = sum (image - target)^2"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, name := range shown {
		if n := strings.Count(text, "\n  "+name+" "); n != 2 {
			t.Errorf("%s is printed %d times, want 2 (one per loss)", name, n)
		}
	}
	var dir float64
	i := strings.Index(text, "directional derivative towards the target:")
	if i < 0 {
		t.Fatalf("no directional derivative in:\n%s", text)
	}
	if _, err := fmt.Sscanf(text[i:], "directional derivative towards the target: %g", &dir); err != nil {
		t.Fatal(err)
	}
	if !(dir < 0) {
		t.Errorf("directional derivative towards the target = %g, want < 0", dir)
	}
}
