package dataset

import (
	"fmt"

	"gobragg/config"
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
