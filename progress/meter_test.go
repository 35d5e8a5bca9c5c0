package progress

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// cLines are the lines nanoBragg's meter prints for total pixels rendered
// one by one (nanoBragg.c: progress_pixel % (total/20) == 0, or within the
// first or last tenth and progress_pixel % (total/100) == 0).
func cLines(total int) []string {
	var out []string
	for pp := 0; pp < total; pp++ {
		if pp%(total/20) == 0 || ((10*pp < total || 10*pp > 9*total) && pp%(total/100) == 0) {
			out = append(out, fmt.Sprintf("%d%% done", pp*100/total))
		}
	}
	return out
}

func lineMeter(total int, steps []int) []string {
	var b bytes.Buffer
	m := NewLines(&b, total)
	for _, d := range steps {
		m.Update(d)
	}
	m.Finish()
	m.Finish()
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

func oneByOne(total int) []int {
	s := make([]int, total)
	for i := range s {
		s[i] = i + 1
	}
	return s
}

// TestLinesMatchCAndEnd: where C's meter prints distinct values (a total
// that 100 divides), the lines are C's followed by "100% done"; on any
// total they increase strictly and end at 100 %.
func TestLinesMatchCAndEnd(t *testing.T) {
	for _, total := range []int{1600, 10000, 250000} {
		got := lineMeter(total, oneByOne(total))
		want := append(cLines(total), "100% done")
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("total %d: lines\n%q\nwant C's\n%q", total, got, want)
		}
	}
	for _, c := range []struct {
		name  string
		total int
		steps []int
	}{
		{"one pixel", 1, []int{1}},
		{"7 pixels one by one", 7, oneByOne(7)},
		{"150 pixels one by one (C repeats 0, 1, 2 ...)", 150, oneByOne(150)},
		{"tiles of 2048 of 4096", 4096, []int{2048, 4096}},
		{"uneven tiles", 10000, []int{3, 999, 4000, 4001, 8999, 9950, 10000}},
		{"Finish without updates", 500, nil},
		{"counts going backwards are ignored", 100, []int{50, 20, 60}},
	} {
		got := lineMeter(c.total, c.steps)
		prev := -1
		for _, l := range got {
			var v int
			if _, err := fmt.Sscanf(l, "%d%% done", &v); err != nil || !strings.HasSuffix(l, "% done") {
				t.Errorf("%s: line %q is not \"N%% done\"", c.name, l)
				continue
			}
			if v <= prev {
				t.Errorf("%s: %d%% after %d%%: %q", c.name, v, prev, got)
			}
			prev = v
		}
		if got[0] != "0% done" || got[len(got)-1] != "100% done" {
			t.Errorf("%s: lines %q do not run from 0%% to 100%%", c.name, got)
		}
	}
}

// TestBar checks the bar's content (label, percentage, rate, time left),
// that redraws are limited to one per interval and that Finish ends the
// line at 100 %.
func TestBar(t *testing.T) {
	var b bytes.Buffer
	clock := time.Unix(0, 0)
	m := newBar(&b, 1000, "rendering", "pixels", func() time.Time { return clock })
	clock = clock.Add(time.Second)
	m.Update(250) // 250 pixels/s, 750 left: 3 s
	first := b.String()
	for _, want := range []string{"\rrendering", " 25% [", "250 pixels/s", "0:03 left"} {
		if !strings.Contains(first, want) {
			t.Errorf("bar %q lacks %q", first, want)
		}
	}
	m.Update(300) // within the interval: no redraw
	if b.String() != first {
		t.Errorf("redrawn within %v: %q", barInterval, b.String())
	}
	clock = clock.Add(barInterval)
	m.Update(600)
	if n := strings.Count(b.String(), "\r"); n != 2 {
		t.Errorf("%d draws after an interval, want 2", n)
	}
	clock = clock.Add(4 * time.Second)
	m.Finish()
	out := b.String()
	last := out[strings.LastIndex(out, "\r"):]
	for _, want := range []string{"100% [" + strings.Repeat("#", barWidth) + "]", "took 0:05", "\n"} {
		if !strings.Contains(last, want) {
			t.Errorf("finished bar %q lacks %q", last, want)
		}
	}
	if n := strings.Count(out, "\r"); n != 3 {
		t.Errorf("%d draws in all, want 3 (Finish draws once)", n)
	}
	m.Update(10)
	m.Finish()
	if b.String() != out {
		t.Error("a finished bar drew again")
	}
}

func TestNilMeterAndNew(t *testing.T) {
	var m *Meter
	m.Update(3)
	m.Add(1)
	m.Finish()
	if New(&bytes.Buffer{}, nil, false, 10, "x", "y") != nil {
		t.Error("New with enabled false is not nil")
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Errorf("a regular file counts as a terminal")
	}
	var log bytes.Buffer
	New(&log, f, true, 10, "x", "y").Finish()
	if !strings.HasSuffix(log.String(), "100% done\n") {
		t.Errorf("with stderr a file the log gets %q, want nanoBragg's lines", log.String())
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{siNumber(999), "999"}, {siNumber(1234), "1.23k"}, {siNumber(2.5e6), "2.5M"}, {siNumber(3e9), "3G"},
		{clock(0), "0:00"}, {clock(59.6), "1:00"}, {clock(3725), "1:02:05"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
