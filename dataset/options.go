package dataset

import (
	"fmt"
	"path/filepath"

	"gobragg/config"
	"gobragg/imageio"
)

// takeOptions removes the data set's own options (each with one value)
// from args, storing their values, and returns the simulation options.
func takeOptions(args []string, own map[string]*string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		if dst, ok := own[args[i]]; ok {
			if i+1 >= len(args) {
				return nil, &config.UsageError{Option: args[i], Msg: "missing value at the end of the command line"}
			}
			*dst = args[i+1]
			i++
			continue
		}
		rest = append(rest, args[i])
	}
	return rest, nil
}

// parseTemplates checks -template (.img or .cbf) and -float_template and
// that the last frame number fits both.
func parseTemplates(template, floatTemplate string, last int) (Template, *Template, error) {
	if template == "" {
		return Template{}, nil, &config.UsageError{Option: "-template", Msg: "needs -template DIR/name_#####.img (or .cbf)"}
	}
	t, err := ParseTemplate(template)
	if err != nil {
		return Template{}, nil, &config.UsageError{Option: "-template", Msg: err.Error()}
	}
	if ext := t.Ext(); ext != ".img" && ext != ".cbf" {
		return Template{}, nil, &config.UsageError{Option: "-template", Msg: fmt.Sprintf("template %q: the extension must be .img (SMV) or .cbf (miniCBF), not %q", template, ext)}
	}
	if _, err := t.Frame(last); err != nil {
		return Template{}, nil, &config.UsageError{Option: "-template", Msg: err.Error()}
	}
	var ft *Template
	if floatTemplate != "" {
		f, err := ParseTemplate(floatTemplate)
		if err != nil {
			return Template{}, nil, &config.UsageError{Option: "-float_template", Msg: err.Error()}
		}
		if _, err := f.Frame(last); err != nil {
			return Template{}, nil, &config.UsageError{Option: "-float_template", Msg: err.Error()}
		}
		ft = &f
	}
	return t, ft, nil
}

// appendOutputs adds the options that name frame i's files.
func appendOutputs(args []string, t Template, ft *Template, path string, i int) ([]string, error) {
	switch t.Ext() {
	case ".cbf":
		args = append(args, "-cbffile", path)
	default:
		args = append(args, "-noisefile", path)
	}
	if ft != nil {
		fp, err := ft.Frame(i)
		if err != nil {
			return nil, err
		}
		args = append(args, "-floatfile", fp)
	}
	return args, nil
}

func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "-help" || a == "-h" || a == "--help" {
			return true
		}
	}
	return false
}

// outputOptions name files of a single run; a data set names its files by
// its templates instead.
var outputOptions = []string{"-floatfile", "-floatimage", "-intfile", "-intimage", "-noisefile", "-noiseimage",
	"-cbffile", "-pgmfile", "-pgmimage", "-pngfile"}

// refuseOutputs refuses the single-run output options in a data set's
// simulation options.
func refuseOutputs(args []string) error {
	for _, o := range outputOptions {
		if hasOption(args, o) {
			return &config.UsageError{Option: o, Msg: "a data set names its files with -template (and -float_template): drop " + o}
		}
	}
	return nil
}

// dataSet is what sweeps and stills read from their own options.
type dataSet struct {
	args          []string // the simulation options
	numbers       []int    // frames or shots
	template      Template
	floatTemplate *Template
	exptFile      string
}

// parseDataSet reads the options a sweep and stills share: countOption
// (-frames or -n: N or FIRST-LAST, as usage explains), -template,
// -float_template and -expt; the simulation options must not name
// single-run outputs.
func parseDataSet(args []string, countOption, usage string) (dataSet, error) {
	var d dataSet
	var count, template, floatTemplate string
	own := map[string]*string{countOption: &count, "-template": &template, "-float_template": &floatTemplate, "-expt": &d.exptFile}
	rest, err := takeOptions(args, own)
	if err != nil {
		return d, err
	}
	d.args = rest
	if count == "" {
		return d, &config.UsageError{Option: countOption, Msg: usage}
	}
	if d.numbers, err = ParseFrames(count); err != nil {
		return d, &config.UsageError{Option: countOption, Msg: err.Error()}
	}
	if d.template, d.floatTemplate, err = parseTemplates(template, floatTemplate, d.numbers[len(d.numbers)-1]); err != nil {
		return d, err
	}
	if err := d.checkOutputs(); err != nil {
		return d, err
	}
	return d, refuseOutputs(rest)
}

// checkOutputs refuses a data set whose outputs overwrite each other (the
// float template naming the frames' own files, or -expt naming a frame)
// or cannot be written (imageio.CheckWritable); the first and last frames
// stand for the rest.
func (d dataSet) checkOutputs() error {
	ends := []int{d.numbers[0]}
	if last := d.numbers[len(d.numbers)-1]; last != ends[0] {
		ends = append(ends, last)
	}
	var outs []imageio.NamedPath
	for _, n := range ends {
		// The frames' directories are made before the first frame (renderEach).
		p, _ := d.template.Frame(n) // fits: parseTemplates checked the last
		outs = append(outs, imageio.NamedPath{Option: "-template", Path: p, MakeDirs: true})
		if d.floatTemplate != nil {
			fp, _ := d.floatTemplate.Frame(n)
			outs = append(outs, imageio.NamedPath{Option: "-float_template", Path: fp, MakeDirs: true})
		}
	}
	// -expt in a frames' directory is written after the frames made it.
	made := map[string]bool{}
	for _, o := range outs {
		made[filepath.Clean(filepath.Dir(o.Path))] = true
	}
	outs = append(outs, imageio.NamedPath{Option: "-expt", Path: d.exptFile,
		MakeDirs: d.exptFile != "" && made[filepath.Clean(filepath.Dir(d.exptFile))]})
	if err := imageio.CheckOutputs(nil, outs); err != nil {
		return &config.UsageError{Msg: err.Error()} // the message names the options
	}
	return nil
}
