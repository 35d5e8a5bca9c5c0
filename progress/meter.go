package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Meter displays the progress of one computation. Its methods are safe for
// concurrent use, and do nothing on a nil *Meter.
type Meter struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	done  int
	bar   bool // a bar redrawn in place, else nanoBragg's lines
	ended bool

	// lines
	nextPct int // the next percentage that gets a line

	// bar
	label, unit string
	start, last time.Time
	drawn       bool
	now         func() time.Time
}

// barInterval is the shortest time between two redraws of a bar: often
// enough to look alive, rare enough to cost nothing.
const barInterval = 200 * time.Millisecond

// barWidth is the number of characters between the bar's brackets.
const barWidth = 30

// New returns the meter gobragg uses for a computation of total units
// (unit names them in the plural, e.g. "pixels"), or nil when enabled is
// false: a bar on stderr when stderr is a terminal, else nanoBragg's lines
// on log.
func New(log io.Writer, stderr *os.File, enabled bool, total int, label, unit string) *Meter {
	if !enabled {
		return nil
	}
	if stderr != nil && IsTerminal(stderr) {
		return NewBar(stderr, total, label, unit)
	}
	return NewLines(log, total)
}

// NewLines returns a meter that writes nanoBragg's "N% done" lines to w:
// every per cent up to 10 % and from 90 %, every 5 % in between, each
// value once, in increasing order and ending with "100% done" at Finish
// (C's meter stops at 99 % or below and repeats values on small images).
// When w has a Flush method it is called after every line, as C flushes
// stdout, so a log read while the program runs is up to date.
func NewLines(w io.Writer, total int) *Meter {
	m := &Meter{w: w, total: max(total, 1)}
	m.Update(0)
	return m
}

// NewBar returns a meter that draws a one-line bar on w (a terminal),
// redrawn in place at most every 200 ms with the label, the percentage,
// the rate in units per second and the time left.
func NewBar(w io.Writer, total int, label, unit string) *Meter {
	return newBar(w, total, label, unit, time.Now)
}

func newBar(w io.Writer, total int, label, unit string, now func() time.Time) *Meter {
	t := now()
	return &Meter{w: w, total: max(total, 1), bar: true, label: label, unit: unit, start: t, now: now}
}

// Update reports that done units (of the total) are complete; a count
// smaller than an earlier one is ignored, a larger one than the total is
// taken as the total.
func (m *Meter) Update(done int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ended || done < m.done {
		return
	}
	m.done = min(done, m.total)
	if m.bar {
		if t := m.now(); !m.drawn || t.Sub(m.last) >= barInterval {
			m.draw(t)
		}
		return
	}
	m.lines()
}

// Add reports n more units done.
func (m *Meter) Add(n int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	d := m.done + n
	m.mu.Unlock()
	m.Update(d)
}

// Finish shows the computation as complete (100 %) and ends the display; a
// bar's line is ended with a newline. Later calls do nothing.
func (m *Meter) Finish() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.finish()
}

// FinishAt is Finish for a computation that ended after done units, fewer
// than the total it was given as a bound (an optimiser that converged
// before its iteration limit): done becomes the total, so the rate and the
// time shown are those of the work done.
func (m *Meter) FinishAt(done int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.ended && done > 0 && done < m.total {
		m.total = done
	}
	m.finish()
}

// finish ends the display at the total.
func (m *Meter) finish() {
	if m.ended {
		return
	}
	m.done = m.total
	if m.bar {
		m.draw(m.now())
		fmt.Fprintln(m.w)
		flush(m.w)
	} else {
		m.lines()
	}
	m.ended = true
}

// Stop ends the display where it is, for a computation that failed: a
// bar's line is ended with a newline (so that an error message starts a
// line of its own), without showing 100 %. Later calls do nothing.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bar && m.drawn && !m.ended {
		fmt.Fprintln(m.w)
		flush(m.w)
	}
	m.ended = true
}

// Println writes line and a newline to w, a log that may share the
// terminal with a bar: the bar is cleared first and drawn again after, so
// the line scrolls up above it. With a lines meter, or a nil one, it only
// writes the line.
func (m *Meter) Println(w io.Writer, line string) {
	if m == nil || !m.bar {
		fmt.Fprintln(w, line)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.drawn && !m.ended {
		fmt.Fprint(m.w, "\r\033[K")
		flush(m.w)
	}
	fmt.Fprintln(w, line)
	flush(w)
	if m.drawn && !m.ended {
		m.draw(m.now())
	}
}

// lines writes the lines due at m.done.
func (m *Meter) lines() {
	pct := int(int64(m.done) * 100 / int64(m.total))
	if m.nextPct > 100 || pct < m.nextPct {
		return
	}
	fmt.Fprintf(m.w, "%d%% done\n", pct)
	flush(m.w)
	m.nextPct = nextLine(pct)
}

// nextLine is the smallest percentage after pct that gets a line: C's
// schedule, every per cent below 10 % and above 90 %, every 5 % between.
func nextLine(pct int) int {
	n := pct + 1
	if n > 10 && n < 90 && n%5 != 0 {
		n += 5 - n%5
	}
	return n
}

// draw redraws the bar at time t.
func (m *Meter) draw(t time.Time) {
	m.last, m.drawn = t, true
	frac := float64(m.done) / float64(m.total)
	full := int(frac * barWidth)
	bar := strings.Repeat("#", full) + strings.Repeat(".", barWidth-full)
	elapsed := t.Sub(m.start).Seconds()
	status := ""
	if elapsed > 0 && m.done > 0 {
		rate := float64(m.done) / elapsed
		status = fmt.Sprintf("%s %s/s", siNumber(rate), m.unit)
		if m.done < m.total {
			status += ", " + clock(float64(m.total-m.done)/rate) + " left"
		} else {
			status += ", took " + clock(elapsed)
		}
	}
	// \r returns to the line's start, \033[K clears what a longer earlier
	// line left.
	fmt.Fprintf(m.w, "\r%s %3d%% [%s] %s\033[K", m.label, int(frac*100), bar, status)
	flush(m.w)
}

// siNumber formats x with 3 significant digits and a k, M or G suffix.
func siNumber(x float64) string {
	for _, s := range []struct {
		f float64
		p string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if x >= s.f {
			return fmt.Sprintf("%.3g%s", x/s.f, s.p)
		}
	}
	return fmt.Sprintf("%.3g", x)
}

// clock formats seconds as m:ss or h:mm:ss.
func clock(sec float64) string {
	s := int(sec + 0.5)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// flush calls w's Flush method, if it has one.
func flush(w io.Writer) {
	if f, ok := w.(interface{ Flush() error }); ok {
		f.Flush()
	}
}
