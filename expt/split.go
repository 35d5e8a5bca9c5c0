package expt

import (
	"fmt"
	"path/filepath"
)

// Split returns the list of experiment i alone, with only the models it
// refers to (as dials.split_experiments writes each experiment).
func (l *List) Split(i int) (*List, error) {
	if i < 0 || i >= len(l.Experiments) {
		return nil, fmt.Errorf("experiment %d is not in the list (%d given)", i, len(l.Experiments))
	}
	e := l.Experiments[i]
	out := &List{ID: l.ID, Goniometers: []Goniometer{}, Scans: []Scan{}, Crystals: []Crystal{}, Profiles: []any{}, Scaling: []any{}}
	zero := func() *int { n := 0; return &n }
	// take copies model *idx of a list of n into the new list, or fails.
	take := func(what string, idx *int, n int, add func(int)) (*int, error) {
		if idx == nil {
			return nil, nil
		}
		if *idx < 0 || *idx >= n {
			return nil, fmt.Errorf("experiment %d: its %s %d is not in the list (%d given)", i, what, *idx, n)
		}
		add(*idx)
		return zero(), nil
	}
	var err error
	one := Experiment{ID: e.ID, Identifier: e.Identifier}
	steps := []struct {
		what string
		src  *int
		dst  **int
		n    int
		add  func(int)
	}{
		{"beam", e.Beam, &one.Beam, len(l.Beams), func(k int) { out.Beams = append(out.Beams, l.Beams[k]) }},
		{"detector", e.Detector, &one.Detector, len(l.Detectors), func(k int) { out.Detectors = append(out.Detectors, l.Detectors[k]) }},
		{"goniometer", e.Goniometer, &one.Goniometer, len(l.Goniometers), func(k int) { out.Goniometers = append(out.Goniometers, l.Goniometers[k]) }},
		{"scan", e.Scan, &one.Scan, len(l.Scans), func(k int) { out.Scans = append(out.Scans, l.Scans[k]) }},
		{"crystal", e.Crystal, &one.Crystal, len(l.Crystals), func(k int) { out.Crystals = append(out.Crystals, l.Crystals[k]) }},
		{"imageset", e.ImageSet, &one.ImageSet, len(l.ImageSets), func(k int) { out.ImageSets = append(out.ImageSets, l.ImageSets[k]) }},
	}
	for _, s := range steps {
		if *s.dst, err = take(s.what, s.src, s.n, s.add); err != nil {
			return nil, err
		}
	}
	out.Experiments = []Experiment{one}
	return out, nil
}

// FindImage returns the index of the experiment whose image set holds the
// image at path (compared as absolute paths), or -1.
func (l *List) FindImage(path string) (int, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return -1, err
	}
	for i, e := range l.Experiments {
		if e.ImageSet == nil || *e.ImageSet < 0 || *e.ImageSet >= len(l.ImageSets) {
			continue
		}
		for _, im := range l.ImageSets[*e.ImageSet].Images {
			if filepath.Clean(im) == abs {
				return i, nil
			}
		}
	}
	return -1, nil
}
