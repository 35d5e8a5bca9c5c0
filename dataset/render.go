package dataset

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gobragg/config"
	"gobragg/progress"
	"gobragg/sim"
)

// prepareFrame parses a frame's single-frame command line and keeps only
// the frame's own files: the noise frame (SMV, or miniCBF for a .cbf
// template), and the float image when there is a float template; not the
// int image, PGM or PNG of a plain run.
//
// A multi-panel -expt_in detector is rendered only when panels is set
// and the template is a CBF (one full CBF of every panel per frame).
func prepareFrame(args []string, t Template, floatTemplate *Template, panels bool) (*sim.Problem, error) {
	s, err := config.Parse(args)
	if err != nil {
		return nil, err
	}
	if floatTemplate == nil {
		s.FloatFile = ""
	}
	s.IntFile = ""
	s.WritePGM = false
	s.PNGFile = ""
	s.Progress = false
	if t.imageFormat() == sim.FormatCBF {
		s.WriteNoise = false
	}
	p, err := sim.Prepare(s, sim.Dirs{})
	if err == nil && p.Exp.Setup.Panels != nil {
		if !panels {
			return nil, &config.UsageError{Option: "-expt_in", Msg: "stills write one panel's frames; the list's detector has several panels"}
		}
		if t.imageFormat() != sim.FormatCBF {
			return nil, &config.UsageError{Option: "-template", Msg: "the -expt_in detector has several panels: a sweep of it writes .cbf frames (full CBF), not " + t.Ext()}
		}
	}
	return p, err
}

// imageFormat is the format of the template's noise frames: miniCBF for
// ".cbf", else SMV.
func (t Template) imageFormat() sim.ImageFormat {
	if t.Ext() == ".cbf" {
		return sim.FormatCBF
	}
	return sim.FormatSMV
}

// progressBar is the terminal a bar of a data set's items is drawn on:
// stderr's, or nil when stderr is not a terminal, there are no items or
// the first one's command line (from itemArgs) has -noprogress.
func progressBar(stderr io.Writer, items []int, itemArgs func(int) ([]string, error)) io.Writer {
	f := progress.Terminal(stderr)
	if f == nil || len(items) == 0 {
		return nil
	}
	args, err := itemArgs(items[0])
	if err != nil {
		return nil
	}
	if s, err := config.Parse(args); err != nil || !s.Progress {
		return nil
	}
	return f
}

// barMeter is a bar of total units on w, nil when w is nil.
func barMeter(w io.Writer, total int, label, unit string) *progress.Meter {
	if w == nil {
		return nil
	}
	return progress.NewBar(w, total, label, unit)
}

// renderEach renders and writes items (each a unit: "frame", "shot") in
// order with prepare, printing line's text for each to log, above meter's
// bar if there is one; templates name the files (their directories are
// created first).
func renderEach(unit string, items []int, templates []*Template, prepare func(int) (*sim.Problem, error), log io.Writer, meter *progress.Meter,
	line func(i int, res *sim.Result, path string, took time.Duration) string) error {
	defer meter.Stop() // after Finish, on success, it does nothing
	if len(items) == 0 {
		return nil
	}
	for _, t := range templates {
		if t == nil {
			continue
		}
		path, err := t.Frame(items[0])
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("template %s: %w", t.Path, err)
		}
	}
	meter.Update(0)
	for k, i := range items {
		start := time.Now()
		p, err := prepare(i)
		if err != nil {
			return fmt.Errorf("%s %d: %w", unit, i, err)
		}
		res, err := p.Render()
		if err != nil {
			return fmt.Errorf("%s %d: %w", unit, i, err)
		}
		err = p.WriteOutputs(io.Discard, res)
		res.Model.Close()
		if err != nil {
			return fmt.Errorf("%s %d: %w", unit, i, err)
		}
		path, _ := templates[0].Frame(i)
		meter.Update(k + 1)
		meter.Println(log, line(i, res, path, time.Since(start)))
	}
	meter.Finish()
	return nil
}
