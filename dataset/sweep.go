package dataset

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/imageio"
	"gobragg/sim"
)

// Sweep is a rotation sweep: one simulation, rendered frame by frame as the
// spindle turns. Frame i (1-based) covers Phi0Deg+(i-1)*OscDeg to
// Phi0Deg+i*OscDeg, sampled by the simulation's -phisteps within the frame,
// with the noise seed FrameSeed(Seed, i). Each frame is exactly the run of
// FrameArgs(i), so it is byte-identical to what that command line writes
// under the frame's file name.
type Sweep struct {
	// Args are the simulation options common to every frame (nanoBragg's
	// command line, without -phi, -osc and -seed taking effect: the
	// frame's values are appended after them).
	Args []string
	// Template names the frames: ".img" SMV noise frames (as -noisefile),
	// ".cbf" miniCBF noise frames (as -cbffile).
	Template Template
	// FloatTemplate, when set, names float frames (as -floatfile).
	FloatTemplate *Template
	// Frames are the frame numbers -frames selected.
	Frames []int
	// Phi0Deg and OscDeg are -phi (default 0) and -osc in degrees, as typed.
	Phi0Deg, OscDeg float64
	// Seed is -seed as typed (C stores its negative).
	Seed int64
	// ExptFile is the DIALS experiment list to write ("" for none).
	ExptFile string
	// ProgressBar, when set (a terminal), shows a bar of the frames done
	// below the per-frame lines.
	ProgressBar io.Writer
}

// sweepUsage is the text of `gobragg sweep -help`.
const sweepUsage = `usage: gobragg sweep -frames N|FIRST-LAST -template DIR/name_#####.img -osc DEG [-phi DEG] [-seed N]
                     [-float_template DIR/name_#####.bin] [-expt FILE] [simulation options]

Renders a rotation sweep. Frame i (1-based) covers phi0+(i-1)*osc to
phi0+i*osc (degrees), sampled with -phisteps steps within the frame; the
template's run of '#' is the zero-padded frame number. The extension of
-template chooses the format: .img an SMV frame with Poisson noise (as
-noisefile), .cbf a miniCBF frame with Poisson noise (as -cbffile).
-float_template also writes each frame's float image (as -floatfile).
A multi-panel -expt_in detector needs a .cbf template: each frame is a
full CBF of every panel that also holds the spindle's rotation (plain
dials.import reads the frames as one sequence), and -expt writes the
list's detector as it was read.
Frame i's noise seed is 1 + splitmix64(seed*1000003 + i) mod (2^31-2)
(dataset.FrameSeed), so frames do not depend on which others are rendered.
Each frame is byte-identical to the file the single-frame command line
  gobragg [simulation options] -phi PHI_i -osc OSC -seed SEED_i -noisefile FRAME_i
writes (-cbffile for .cbf). -frames FIRST-LAST renders only those frames.
-expt FILE writes a DIALS experiment list of the rendered frames.
-shard INDEX/COUNT renders only block INDEX (from 0) of COUNT contiguous
blocks of the frames, for a cluster's array job; -shard auto/COUNT takes
INDEX from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX. The frames are the
same bytes as a one-machine run's. Each shard keeps a manifest beside the
frames (NAME.shard-INDEX-of-COUNT.json: frames, seeds, sha256, wall time);
a re-run skips the frames it lists that are intact. A folder holding
another command line's manifests, a frame path that is not a regular file
and a -float_template outside the frames' folder are refused before any
work. Give every shard the same command line, with -seed; gobragg gather DIR checks that the shards cover the
sweep exactly once and writes the sweep's -expt (shards do not).
One line per frame is printed on stdout; when stderr is a terminal a
progress bar of the frames stays below them. Exit status: 0 ok, 2 bad command line, 1 other failure.
`

// ParseSweep reads the sweep's own options (-frames, -template,
// -float_template, -expt) and the simulation options that the sweep needs
// (-phi, -osc, -seed); every other argument is kept for the simulation and
// checked by parsing it once.
func ParseSweep(args []string) (*Sweep, error) {
	d, err := parseDataSet(args, "-frames", "sweep needs -frames N or FIRST-LAST")
	if err != nil {
		return nil, err
	}
	sw := &Sweep{Args: d.args, Frames: d.numbers, Template: d.template, FloatTemplate: d.floatTemplate, ExptFile: d.exptFile}
	// The simulation options must parse; -phi, -osc and -seed as typed.
	s, err := config.Parse(sw.Args)
	if err != nil {
		return nil, err
	}
	phi, ok, err := lastFloat(sw.Args, "-phi")
	if err != nil {
		return nil, err
	}
	osc, oscOK, err := lastFloat(sw.Args, "-osc")
	if err != nil {
		return nil, err
	}
	if s.ExptIn != "" {
		// A scan read with -expt_in numbers the frames unless -phi or -osc say otherwise.
		if sc, err := exptScan(s.ExptIn, s.ExptIndex); err != nil {
			return nil, err
		} else if sc != nil {
			if !oscOK && sc.Oscillation[1] > 0 {
				osc, oscOK = sc.Oscillation[1], true
			}
			if !ok {
				phi, ok = sc.Oscillation[0]-float64(sc.ImageRange[0]-1)*osc, true
			}
		}
	}
	if ok {
		sw.Phi0Deg = phi
	}
	ok = oscOK
	if !ok || !(osc > 0) || math.IsInf(osc, 0) {
		return nil, &config.UsageError{Option: "-osc", Msg: "sweep needs -osc DEG, the positive rotation per frame"}
	}
	sw.OscDeg = osc
	sw.Seed = -s.Seed
	if s.Misset == config.MissetRandom && !hasOption(sw.Args, "-misset_seed") {
		return nil, &config.UsageError{Option: "-misset", Msg: "sweep with -misset random needs -misset_seed N, so that every frame has the same crystal"}
	}
	return sw, nil
}

// lastFloat returns the value of the last occurrence of option in args.
// (An option's value is never an option name: config.Parse refuses that.)
func lastFloat(args []string, option string) (float64, bool, error) {
	v, ok := 0.0, false
	for i := 0; i+1 < len(args); i++ {
		if args[i] == option {
			x, err := strconv.ParseFloat(args[i+1], 64)
			if err != nil {
				return 0, false, &config.UsageError{Option: option, Msg: fmt.Sprintf("sweep needs a plain number, got %q", args[i+1])}
			}
			v, ok = x, true
			i++
		}
	}
	return v, ok, nil
}

func hasOption(args []string, option string) bool {
	for _, a := range args {
		if a == option {
			return true
		}
	}
	return false
}

// PhiDeg returns the starting spindle angle of frame i in degrees.
func (sw *Sweep) PhiDeg(i int) float64 { return sw.Phi0Deg + float64(i-1)*sw.OscDeg }

// formatNumber writes x so that parsing it gives x back exactly.
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// FrameArgs returns the single-frame command line of frame i: the
// simulation options, then -phi, -osc and -seed of the frame and the
// option that names its file (-noisefile or -cbffile, and -floatfile with
// a float template).
func (sw *Sweep) FrameArgs(i int) ([]string, error) {
	path, err := sw.Template.Frame(i)
	if err != nil {
		return nil, err
	}
	args := append([]string(nil), sw.Args...)
	args = append(args, "-phi", formatNumber(sw.PhiDeg(i)), "-osc", formatNumber(sw.OscDeg),
		"-seed", strconv.FormatInt(FrameSeed(sw.Seed, i), 10))
	return appendOutputs(args, sw.Template, sw.FloatTemplate, path, i)
}

// Prepare resolves frame i into a simulation that writes only the frame's
// files (not the int image, PGM, PNG or float image of a plain run,
// unless a float template asks for the float image).
func (sw *Sweep) Prepare(i int) (*sim.Problem, error) {
	args, err := sw.FrameArgs(i)
	if err != nil {
		return nil, err
	}
	return prepareFrame(args, sw.Template, sw.FloatTemplate, true)
}

// RenderFrames renders and writes the given frames in order, printing one
// line per frame to log (and drawing a bar on ProgressBar when set). Each
// frame's files are written atomically; on an error the frames already
// written stay.
func (sw *Sweep) RenderFrames(frames []int, log io.Writer) error {
	return renderEach("frame", frames, []*Template{&sw.Template, sw.FloatTemplate}, sw.Prepare, log, barMeter(sw.ProgressBar, len(frames), "sweep", "frames"),
		func(i int, res *sim.Result, path string, took time.Duration) string {
			return fmt.Sprintf("frame %d: phi %s to %s deg, max_I %s photons, wrote %s (%.1f s)",
				i, imageio.FormatG(sw.PhiDeg(i)), imageio.FormatG(sw.PhiDeg(i+1)), imageio.FormatG(res.Stats.MaxI), path, took.Seconds())
		})
}

// exptScan returns the scan of experiment index (-1: the only one) of the
// experiment list path (nil for none).
func exptScan(path string, index int) (*expt.Scan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &config.UsageError{Option: "-expt_in", Msg: err.Error()}
	}
	defer f.Close()
	l, err := expt.Read(f, path)
	if err != nil {
		return nil, &config.UsageError{Option: "-expt_in", Msg: err.Error()}
	}
	e, err := l.Pick(index, path)
	if err != nil {
		return nil, &config.UsageError{Option: "-expt_in", Msg: err.Error()}
	}
	return e.Scan, nil
}
