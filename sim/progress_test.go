package sim

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestProgressMeter: without -noprogress the log carries nanoBragg's
// "N% done" lines, in increasing order from 0 % to at least 90 % (C counts
// against an ROI area one row and column larger than the detector, so it
// never prints 100 %; 94 % here). (Identical to C's lines on test runs.)
func TestProgressMeter(t *testing.T) {
	p := mustPrepare(t, "", "-cell", "70", "80", "90", "75", "85", "95", "-default_F", "100", "-N", "3",
		"-distance", "80", "-detpixels", "40", "-pixel", "0.5", "-oversample", "1", "-nonoise", "-nopgm")
	var out bytes.Buffer
	if err := p.Simulate(&out); err != nil {
		t.Fatal(err)
	}
	var pct []int
	for _, l := range strings.Split(out.String(), "\n") {
		var v int
		if _, err := fmt.Sscanf(l, "%d%% done", &v); err == nil && strings.HasSuffix(l, "% done") {
			pct = append(pct, v)
		}
	}
	if len(pct) < 20 || pct[0] != 0 || pct[len(pct)-1] < 90 {
		t.Fatalf("progress lines %v", pct)
	}
	for i := 1; i < len(pct); i++ {
		if pct[i] < pct[i-1] {
			t.Fatalf("progress goes backwards: %v", pct)
		}
	}
}
