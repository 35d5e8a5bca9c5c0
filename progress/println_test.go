package progress

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// TestPrintlnKeepsTheBarBelow: a line printed through a bar meter clears
// the bar, is written whole and is followed by the bar drawn again; with
// a lines meter or a nil one it is only the line.
func TestPrintlnKeepsTheBarBelow(t *testing.T) {
	var term bytes.Buffer
	clock := time.Unix(0, 0)
	m := newBar(&term, 4, "sweep", "frames", func() time.Time { return clock })
	m.Update(0)
	clock = clock.Add(time.Second)
	m.Println(&term, "frame 1: wrote f_001.img")
	m.Update(1)
	out := term.String()
	i := strings.Index(out, "\r\033[Kframe 1: wrote f_001.img\n\rsweep ")
	if i < 0 {
		t.Fatalf("terminal shows %q, want the bar cleared, the line, the bar again", out)
	}
	if strings.Count(out, "\rsweep") != 2 {
		t.Errorf("terminal shows %q, want the bar drawn before and after the line only", out)
	}
	m.Stop()
	if !strings.HasSuffix(term.String(), "\n") || strings.Contains(term.String(), "100%") {
		t.Errorf("stopped bar %q: want its line ended, not shown complete", term.String())
	}
	m.Finish()
	m.Println(&term, "after")
	if !strings.HasSuffix(term.String(), "\033[K\nafter\n") || strings.Contains(term.String(), "100%") {
		t.Errorf("a stopped bar drew again: %q", term.String())
	}

	for _, m := range []*Meter{nil, NewLines(io.Discard, 3)} {
		var log bytes.Buffer
		m.Println(&log, "iter 1")
		m.Stop()
		if log.String() != "iter 1\n" {
			t.Errorf("%v meter: log %q, want the line alone", m, log.String())
		}
	}
}

type wrapped struct{ w io.Writer }

func (w wrapped) Write(b []byte) (int, error) { return w.w.Write(b) }
func (w wrapped) Unwrap() io.Writer           { return w.w }

// TestTerminal finds a terminal through writers that wrap one (a pseudo
// terminal from /dev/ptmx, where the system has one) and nothing in a
// pipe, a buffer or a writer that does not unwrap.
func TestTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, x := range map[string]io.Writer{"pipe": w, "wrapped pipe": wrapped{w}, "buffer": &bytes.Buffer{}, "nil": nil} {
		if f := Terminal(x); f != nil {
			t.Errorf("%s: Terminal is %v, want nil", name, f.Name())
		}
	}
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo terminal to test with (%v)", err)
	}
	defer pty.Close()
	if !IsTerminal(pty) {
		t.Skip("/dev/ptmx is not a terminal here")
	}
	if Terminal(wrapped{wrapped{pty}}) != pty {
		t.Error("a terminal wrapped twice is not found")
	}
	if Terminal(struct{ io.Writer }{pty}) != nil {
		t.Error("a writer without Unwrap is taken for the terminal it hides")
	}
}

// TestFinishAt: a computation that ends before its bound shows 100 % of
// the work it did, at that work's rate.
func TestFinishAt(t *testing.T) {
	var term bytes.Buffer
	clock := time.Unix(0, 0)
	m := newBar(&term, 200, "refine", "iterations", func() time.Time { return clock })
	m.Update(4)
	clock = clock.Add(2 * time.Second)
	m.FinishAt(10)
	last := term.String()[strings.LastIndex(term.String(), "\r"):]
	for _, want := range []string{"refine 100% [", "5 iterations/s, took 0:02", "\n"} {
		if !strings.Contains(last, want) {
			t.Errorf("finished bar %q lacks %q", last, want)
		}
	}
	var log bytes.Buffer
	l := NewLines(&log, 200)
	l.FinishAt(10)
	if !strings.HasSuffix(log.String(), "100% done\n") {
		t.Errorf("lines meter finished early: %q", log.String())
	}
	var nilMeter *Meter
	nilMeter.FinishAt(3)
}
