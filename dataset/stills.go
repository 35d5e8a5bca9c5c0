package dataset

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/imageio"
	"gobragg/sim"
)

// Stills is a serial-crystallography data set: N still shots, each of a
// crystal in its own random orientation. Shot i is the single-frame run of
// ShotArgs(i): the simulation options with -phi 0 -osc 0, a random
// misset drawn from OrientationSeed(Seed, i) and the noise seed
// FrameSeed(Seed, i).
type Stills struct {
	Args          []string // simulation options common to every shot
	Template      Template // ".img" SMV or ".cbf" miniCBF noise frames
	FloatTemplate *Template
	Shots         []int // the shot numbers -n selected
	Seed          int64 // -seed as typed
	ExptFile      string
	ProgressBar   io.Writer // a terminal for a bar of the shots done, or nil
}

// OrientationSeed is the -misset_seed of shot i of a data set made with
// -seed seed: FrameSeed(seed, -i), so orientations and noise are drawn
// from unrelated seeds.
func OrientationSeed(seed int64, i int) int64 { return FrameSeed(seed, -i) }

// stillsUsage is the text of `gobragg stills -help`.
const stillsUsage = `usage: gobragg stills -n N|FIRST-LAST -template DIR/shot_#####.img [-seed N] [-expt FILE]
                      [-float_template DIR/shot_#####.bin] [simulation options]

Renders still shots of randomly oriented crystals (serial crystallography).
Shot i is the single-frame run
  gobragg [simulation options] -phi 0 -osc 0 -misset_seed OSEED_i -misset random -seed SEED_i -noisefile SHOT_i
with SEED_i = dataset.FrameSeed(seed, i) and OSEED_i = dataset.FrameSeed(seed, -i),
so the data set is reproducible and any subset renders the same shots.
.img writes SMV noise frames, .cbf miniCBF noise frames. -expt FILE writes a
DIALS experiment list with one experiment (and crystal) per shot.
-shard INDEX/COUNT|auto/COUNT renders one block of the shots for a
cluster's array job, with a manifest, as for gobragg sweep (sweep -help);
gobragg gather DIR then writes the -expt of all the shots.
One line per shot is printed on stdout; when stderr is a terminal a
progress bar of the shots stays below them.
Exit status: 0 ok, 2 bad command line, 1 other failure.
`

// ParseStills reads the stills options and checks the simulation options.
func ParseStills(args []string) (*Stills, error) {
	d, err := parseDataSet(args, "-n", "stills needs -n N (or FIRST-LAST)")
	if err != nil {
		return nil, err
	}
	st := &Stills{Args: d.args, Shots: d.numbers, Template: d.template, FloatTemplate: d.floatTemplate, ExptFile: d.exptFile}
	rest := d.args
	for _, o := range []string{"-misset", "-misset_seed", "-phi", "-osc", "-phistep"} {
		if hasOption(rest, o) {
			return nil, &config.UsageError{Option: o, Msg: "stills choose the orientation and spindle of every shot: drop " + o}
		}
	}
	s, err := config.Parse(rest)
	if err != nil {
		return nil, err
	}
	st.Seed = -s.Seed
	return st, nil
}

// ShotArgs returns the single-frame command line of shot i.
func (st *Stills) ShotArgs(i int) ([]string, error) {
	path, err := st.Template.Frame(i)
	if err != nil {
		return nil, err
	}
	args := append([]string(nil), st.Args...)
	args = append(args, "-phi", "0", "-osc", "0",
		"-misset_seed", strconv.FormatInt(OrientationSeed(st.Seed, i), 10), "-misset", "random",
		"-seed", strconv.FormatInt(FrameSeed(st.Seed, i), 10))
	return appendOutputs(args, st.Template, st.FloatTemplate, path, i)
}

// Prepare resolves shot i (see Sweep.Prepare).
func (st *Stills) Prepare(i int) (*sim.Problem, error) {
	args, err := st.ShotArgs(i)
	if err != nil {
		return nil, err
	}
	return prepareFrame(args, st.Template, st.FloatTemplate, false)
}

// RenderShots renders and writes the given shots, one line each to log
// (and a bar on ProgressBar when set).
func (st *Stills) RenderShots(shots []int, log io.Writer) error {
	return renderEach("shot", shots, []*Template{&st.Template, st.FloatTemplate}, st.Prepare, log, barMeter(st.ProgressBar, len(shots), "stills", "shots"),
		func(i int, res *sim.Result, path string, took time.Duration) string {
			return fmt.Sprintf("shot %d: max_I %s photons, wrote %s (%.1f s)", i, imageio.FormatG(res.Stats.MaxI), path, took.Seconds())
		})
}

// ExperimentList returns one experiment per shot: the beam, detector and
// that shot's crystal, and its image (no goniometer, no scan).
func (st *Stills) ExperimentList(shots []int) (*expt.List, error) {
	format := st.Template.imageFormat()
	var list []expt.Shot
	for _, i := range shots {
		p, err := st.Prepare(i)
		if err != nil {
			return nil, fmt.Errorf("shot %d: %w", i, err)
		}
		m, err := p.ExptModels(format)
		if err != nil {
			return nil, fmt.Errorf("shot %d: %w", i, err)
		}
		path, _ := st.Template.Frame(i)
		c := m.Crystal
		list = append(list, expt.Shot{Beam: m.Beam, Panel: m.Panel, Crystal: &c, Images: []string{path}})
	}
	return expt.NewList(list)
}

// StillsMain runs `gobragg stills ARGS` and returns the exit status.
func StillsMain(args []string, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		fmt.Fprint(stdout, stillsUsage)
		return 0
	}
	shardValue, args, err := cutShard(args)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg stills: %v\n", err)
		return 2
	}
	st, err := ParseStills(args)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg stills: %v\n", err)
		return exitStatus(err)
	}
	if shardValue != "" {
		return shardMain("stills", shardValue, args, st.ShardJob, stdout, stderr)
	}
	st.ProgressBar = progressBar(stderr, st.Shots, st.ShotArgs)
	if err := st.RenderShots(st.Shots, stdout); err != nil {
		fmt.Fprintf(stderr, "gobragg stills: %v\n", err)
		return exitStatus(err)
	}
	if st.ExptFile != "" {
		l, err := st.ExperimentList(st.Shots)
		if err == nil {
			err = imageio.WriteFileAtomic(st.ExptFile, l.Write)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gobragg stills: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %s (DIALS experiment list of %d shots)\n", st.ExptFile, len(st.Shots))
	}
	return 0
}
