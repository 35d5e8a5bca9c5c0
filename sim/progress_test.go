package sim

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"gobragg/graph"
)

// TestProgressMeter: without -noprogress the log carries nanoBragg's
// "N% done" lines, strictly increasing from 0 % to 100 % (C's meter stops
// below 100 % and repeats values on small images; see package progress),
// before the lines that follow the render; -noprogress removes them.
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
	if len(pct) < 2 || pct[0] != 0 || pct[len(pct)-1] != 100 {
		t.Fatalf("progress lines %v, want 0 %% to 100 %%", pct)
	}
	for i := 1; i < len(pct); i++ {
		if pct[i] <= pct[i-1] {
			t.Fatalf("progress does not increase: %v", pct)
		}
	}
	if i, j := strings.Index(out.String(), "100% done"), strings.Index(out.String(), "solid angle"); i > j {
		t.Errorf("100%% line after the render's summary:\n%s", out.String())
	}
	p.Settings.Progress = false
	out.Reset()
	if err := p.Simulate(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "% done") {
		t.Errorf("-noprogress log has progress lines:\n%s", out.String())
	}
}

// TestProgressBar: with ProgressBar set (gobragg sets it to stderr when
// that is a terminal) the render's progress is a bar there, ending at
// 100 %, and the log holds no "N% done" lines.
func TestProgressBar(t *testing.T) {
	p := mustPrepare(t, "", "-cell", "70", "80", "90", "75", "85", "95", "-default_F", "100", "-N", "3",
		"-distance", "80", "-detpixels", "40", "-pixel", "0.5", "-oversample", "1", "-nonoise", "-nopgm")
	var out, bar bytes.Buffer
	p.ProgressBar = &bar
	if err := p.Simulate(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "% done") {
		t.Errorf("log has progress lines with a bar:\n%s", out.String())
	}
	if !strings.Contains(bar.String(), "rendering 100% [") || !strings.HasSuffix(bar.String(), "\n") {
		t.Errorf("bar %q does not end at 100 %% with a newline", bar.String())
	}
}

// TestGradientSpanDone: a gradient reports each span as it completes, in
// increasing order, ending at the detector's pixel count.
func TestGradientSpanDone(t *testing.T) {
	p := mustPrepare(t, "", "-cell", "70", "80", "90", "75", "85", "95", "-default_F", "100", "-N", "3",
		"-distance", "80", "-detpixels", "64", "-pixel", "0.5", "-oversample", "1", "-nonoise", "-nopgm")
	var done []int
	_, _, _, err := p.GradientWith(graph.Options{SpanPixels: 2048, SpanDone: func(n int) { done = append(done, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(done) != "[2048 4096]" {
		t.Errorf("spans reported %v, want [2048 4096]", done)
	}
}
