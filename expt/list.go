package expt

import (
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
)

// Shot is one experiment of a list: its models and images. A rotation
// sweep has a Goniometer and a Scan and a Template; a still has neither
// and its Images.
type Shot struct {
	Beam  Beam
	Panel Panel
	// Detector, when set, is the whole detector (several panels and their
	// hierarchy, see NewDetector) in place of Panel.
	Detector   *Detector
	Goniometer *Goniometer
	Scan       *Scan
	Crystal    *Crystal
	Template   string   // ImageSequence template ('#' for the image number)
	Images     []string // ImageSet file names (stills, or a single image without a number)
}

// NewList builds an experiment list with one experiment per shot. Image
// paths are made absolute, as dials.import writes them.
func NewList(shots []Shot) (*List, error) {
	// Lists a still may leave empty are written as [] (as DIALS writes them), not null.
	l := &List{ID: "ExperimentList", Goniometers: []Goniometer{}, Scans: []Scan{}, Crystals: []Crystal{}, Profiles: []any{}, Scaling: []any{}}
	idx := func(n int) *int { return &n }
	for _, sh := range shots {
		e := Experiment{ID: "Experiment"}
		e.Beam = idx(len(l.Beams))
		l.Beams = append(l.Beams, sh.Beam)
		e.Detector = idx(len(l.Detectors))
		det := Detector{Panels: []Panel{sh.Panel}, Hierarchy: hierarchy()}
		if sh.Detector != nil {
			det = *sh.Detector
		}
		l.Detectors = append(l.Detectors, det)
		if sh.Goniometer != nil {
			e.Goniometer = idx(len(l.Goniometers))
			l.Goniometers = append(l.Goniometers, *sh.Goniometer)
		}
		if sh.Scan != nil {
			e.Scan = idx(len(l.Scans))
			l.Scans = append(l.Scans, *sh.Scan)
		}
		if sh.Crystal != nil {
			e.Crystal = idx(len(l.Crystals))
			l.Crystals = append(l.Crystals, *sh.Crystal)
		}
		is := ImageSet{Params: map[string]any{"dynamic_shadowing": "Auto", "multi_panel": false}}
		switch {
		case sh.Template != "":
			abs, err := filepath.Abs(sh.Template)
			if err != nil {
				return nil, err
			}
			is.ID, is.Template = "ImageSequence", abs
		default:
			is.ID = "ImageSet"
			for _, im := range sh.Images {
				abs, err := filepath.Abs(im)
				if err != nil {
					return nil, err
				}
				is.Images = append(is.Images, abs)
			}
		}
		e.ImageSet = idx(len(l.ImageSets))
		l.ImageSets = append(l.ImageSets, is)
		l.Experiments = append(l.Experiments, e)
	}
	return l, nil
}

// Write writes the list as indented JSON.
func (l *List) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(l)
}

// digitRun finds the last run of digits in a file name.
var digitRun = regexp.MustCompile(`[0-9]+`)

// TemplateOf turns the name of one numbered image ("dir/x_0001.img") into
// a template ("dir/x_####.img") and its number; ok is false when the file
// name has no digits (dxtbx cannot make a sequence of it).
func TemplateOf(path string) (template string, number int, ok bool) {
	dir, base := filepath.Split(path)
	locs := digitRun.FindAllStringIndex(base, -1)
	if len(locs) == 0 {
		return "", 0, false
	}
	loc := locs[len(locs)-1]
	digits := base[loc[0]:loc[1]]
	if len(digits) > 9 {
		return "", 0, false
	}
	number, _ = strconv.Atoi(digits)
	hashes := make([]byte, len(digits))
	for i := range hashes {
		hashes[i] = '#'
	}
	return dir + base[:loc[0]] + string(hashes) + base[loc[1]:], number, true
}
