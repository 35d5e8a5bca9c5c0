package sim

import (
	"io"

	"gobragg/progress"
)

// renderMeter returns the progress display of a render (nil with
// -noprogress or -printout, whose report C does not interleave with it): a
// bar on p.ProgressBar when that is set (a terminal), else nanoBragg's
// "N% done" lines on out, counting the pixels the kernel renders (those in
// the ROI and not masked).
func (p *Problem) renderMeter(out io.Writer) *progress.Meter {
	s := p.Settings
	if !s.Progress || s.Printout {
		return nil
	}
	total := 0
	for sp := max(s.RoiYMin, 0); sp <= min(s.RoiYMax, s.SPixels-1); sp++ {
		for fp := max(s.RoiXMin, 0); fp <= min(s.RoiXMax, s.FPixels-1); fp++ {
			if s.Mask == nil || s.Mask[sp*s.FPixels+fp] != 0 {
				total++
			}
		}
	}
	if p.ProgressBar != nil {
		return progress.NewBar(p.ProgressBar, total, "rendering", "pixels")
	}
	return progress.NewLines(out, total)
}

// flushLog writes out what the log holds so far when out is buffered, so
// that a log read while the program runs (or after it was killed) shows
// every line up to the current stage.
func flushLog(out io.Writer) {
	if f, ok := out.(interface{ Flush() error }); ok {
		f.Flush()
	}
}

// lineFlusher flushes a buffered log after every write (Fprintf writes a
// line at a time), for the few lines of a slow stage.
type lineFlusher struct{ w io.Writer }

func (l lineFlusher) Write(b []byte) (int, error) {
	n, err := l.w.Write(b)
	flushLog(l.w)
	return n, err
}
