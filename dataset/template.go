package dataset

import (
	"fmt"
	"strings"
)

// Template names the files of a dataset: a path with one run of '#'
// characters that stands for the frame number, zero-padded to the run's
// length (DIALS's and XDS's convention, e.g. "out/lyso_#####.img").
type Template struct {
	Path         string
	prefix, tail string
	digits       int
}

// ParseTemplate checks that path has exactly one run of '#' in its file
// name and returns the template.
func ParseTemplate(path string) (Template, error) {
	start := strings.IndexByte(path, '#')
	if start < 0 {
		return Template{}, fmt.Errorf("template %q has no '#' for the frame number (e.g. name_#####.img)", path)
	}
	end := start
	for end < len(path) && path[end] == '#' {
		end++
	}
	if strings.IndexByte(path[end:], '#') >= 0 {
		return Template{}, fmt.Errorf("template %q has more than one run of '#'", path)
	}
	if strings.ContainsRune(path[end:], '/') {
		return Template{}, fmt.Errorf("template %q: the '#' run must be in the file name, not a directory", path)
	}
	return Template{Path: path, prefix: path[:start], tail: path[end:], digits: end - start}, nil
}

// Digits is the length of the '#' run.
func (t Template) Digits() int { return t.digits }

// Frame returns the file name of frame i (1-based).
func (t Template) Frame(i int) (string, error) {
	n := fmt.Sprintf("%0*d", t.digits, i)
	if i < 0 || len(n) > t.digits {
		return "", fmt.Errorf("template %q: frame %d does not fit in %d digits", t.Path, i, t.digits)
	}
	return t.prefix + n + t.tail, nil
}

// Ext is the lower-case extension of the file name (".img", ".cbf", ...).
func (t Template) Ext() string {
	base := t.tail
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		return strings.ToLower(base[i:])
	}
	return ""
}
