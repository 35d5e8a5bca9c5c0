package sim

import (
	"fmt"
	"io"
	"path/filepath"

	"gobragg/config"
	"gobragg/crand"
	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/physics"
)

// Dirs says where relative file names point: inputs (-hkl, -mat, -sourcefile,
// -stol) are read from InputDir, outputs and Fdump.bin live in OutputDir.
// The CLI uses the working directory for both. NoDump keeps a command away
// from the Fdump.bin cache altogether, as -nodump does (refine: a fit's
// structure factors come from -hkl or -default_F, never from a table a
// past run left behind).
type Dirs struct {
	InputDir, OutputDir string
	NoDump              bool
}

func (d Dirs) in(name string) string {
	if name == "" || filepath.IsAbs(name) || d.InputDir == "" {
		return name
	}
	return filepath.Join(d.InputDir, name)
}

func (d Dirs) out(name string) string {
	if name == "" || filepath.IsAbs(name) || d.OutputDir == "" {
		return name
	}
	return filepath.Join(d.OutputDir, name)
}

// rtd is nanoBragg's RTD = 180*M_1_PI.
var rtd = physics.RTD

// Problem is a resolved simulation: the graph's experiment plus what the
// command line asks to be written and printed.
type Problem struct {
	Settings *config.Settings
	Dirs     Dirs
	Exp      *graph.Experiment
	Geometry detector.Geometry
	Lattice  crystal.Lattice
	Grid     *crystal.FGrid // nil without a structure-factor table
	Gen      *crand.Generator
	Log      []string // stdout lines in nanoBragg's order, up to the render
	// Alerts are gobragg's warnings for stderr (config's Alerts, a capped
	// oversampling, a leftover dump file read in place of -hkl).
	Alerts []string
	// Derived numbers the outputs need.
	Oversample int
	PhiSteps   int
	Lambda0M   float64
	dumpPath   string // Fdump.bin to write with the outputs ("" for none)
	// ProgressBar, when set (to a terminal), shows Simulate's render as a
	// progress bar instead of nanoBragg's "N% done" lines in the log.
	ProgressBar io.Writer
}

func (p *Problem) logf(format string, args ...any) {
	p.Log = append(p.Log, fmt.Sprintf(format, args...))
}

func (p *Problem) alertf(format string, args ...any) {
	p.Alerts = append(p.Alerts, fmt.Sprintf(format, args...))
}

var fg = imageio.FormatG

// Prepare resolves settings into a Problem in three stages: readInputs
// reads every input file, resolvePhysics builds the crystal, detector,
// sources and mosaic domains exactly as nanoBragg does, and wireGraph
// assembles the graph's experiment and parameters from them. The lines
// nanoBragg prints are collected in p.Log in its order: reading prints
// nothing, and resolvePhysics writes the lines about a file ("reading
// A.mat") where nanoBragg reads it, returning a failed read's error at
// that same place.
func Prepare(s *config.Settings, dirs Dirs) (*Problem, error) {
	if err := s.Resolve(); err != nil {
		return nil, err
	}
	p := &Problem{Settings: s, Dirs: dirs, Gen: crand.New(), Alerts: append([]string(nil), s.Alerts...),
		Lambda0M: s.Lambda0, PhiSteps: s.PhiSteps}
	in := readInputs(s, dirs)
	r, err := p.resolvePhysics(in)
	if err != nil {
		return nil, err
	}
	if err := p.wireGraph(r); err != nil {
		return nil, err
	}
	p.summary(r)
	return p, nil
}
