package gather

import (
	"fmt"
	"os"
	"path/filepath"

	"gobragg/config"
	"gobragg/dataset"
	"gobragg/expt"
	"gobragg/imageio"
	"gobragg/shard"
)

// writeExpt writes the DIALS experiment list of the whole sweep or set of
// stills, as the one-machine run of the manifests' command line would with
// -expt, but for the folder gather was given (DIR), which may be a copy or
// a move of the folder the shards wrote: the list's images are DIR's
// frames. It writes to path if given, else to the command's -expt when
// that lies in the shards' folder (at the same place in DIR), else to
// DIR/NAME.expt; note then says why the command's -expt was not used. The
// command's inputs are read in the directory the shards ran in, or in the
// current one when that directory does not exist here.
func writeExpt(d *shard.Dataset, path string) (written, note string, err error) {
	target, l, note, err := experimentList(d, path)
	if err != nil {
		return "", "", err
	}
	// The target is known only now: it must not name a file of the dataset.
	if err := checkOutputs(d, target, "", ""); err != nil {
		return "", "", &config.UsageError{Msg: err.Error()}
	}
	if err := imageio.WriteFileAtomic(target, l.Write); err != nil {
		return "", "", fmt.Errorf("experiment list: %v", err)
	}
	return target, note, nil
}

// experimentList makes the list of writeExpt and returns it with the
// path it goes to. It changes into the shards' working directory while it
// reads the command line, and back.
func experimentList(d *shard.Dataset, path string) (target string, l *expt.List, note string, err error) {
	m := d.First()
	// Paths to read or write after the change of directory are absolute;
	// the target is written after the change back, so it keeps the user's
	// spelling (DIR as given).
	dir, err := filepath.Abs(d.Dir)
	if err != nil {
		return "", nil, "", err
	}
	if m.Workdir != "" {
		if st, err := os.Stat(m.Workdir); err == nil && st.IsDir() {
			wd, err := os.Getwd()
			if err != nil {
				return "", nil, "", err
			}
			if err := os.Chdir(m.Workdir); err != nil {
				return "", nil, "", err
			}
			defer func() {
				// Later relative paths (gather's -csv, a caller's files) need the old directory back.
				if e := os.Chdir(wd); e != nil && err == nil {
					target, l, note, err = "", nil, "", e
				}
			}()
		}
	}
	if len(m.Command) == 0 || m.Command[0] != m.Kind {
		return "", nil, "", fmt.Errorf("manifest command %q is not a %s", m.Command, m.Kind)
	}
	var exptFile string
	var template *dataset.Template
	var list func([]int) (*expt.List, error)
	switch m.Kind {
	case "sweep":
		sw, err := dataset.ParseSweep(m.Command[1:])
		if err != nil {
			return "", nil, "", fmt.Errorf("the sweep's command line: %v", err)
		}
		exptFile, template, list = sw.ExptFile, &sw.Template, sw.ExperimentList
	case "stills":
		st, err := dataset.ParseStills(m.Command[1:])
		if err != nil {
			return "", nil, "", fmt.Errorf("the stills' command line: %v", err)
		}
		exptFile, template, list = st.ExptFile, &st.Template, st.ExperimentList
	default:
		return "", nil, "", fmt.Errorf("a %s has no experiment list", m.Kind)
	}
	// The shards' folder is the template's (Job.Dir), as resolved where
	// they ran; the same names in DIR are gather's.
	shardsDir, err := filepath.Abs(filepath.Dir(template.Path))
	if err != nil {
		return "", nil, "", err
	}
	// inDir returns p's path relative to the shards' folder, when p lies in it.
	inDir := func(p string) (string, bool) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", false
		}
		rel, err := filepath.Rel(shardsDir, abs)
		return rel, err == nil && filepath.IsLocal(rel)
	}
	frames, _ := inDir(template.Path) // the template is in shardsDir
	if *template, err = dataset.ParseTemplate(filepath.Join(dir, frames)); err != nil {
		return "", nil, "", fmt.Errorf("experiment list of %s: %v", d.Dir, err)
	}
	switch rel, ok := inDir(exptFile); {
	case path != "":
	case exptFile == "":
		path = filepath.Join(d.Dir, datasetStem(d)+".expt")
	case ok:
		path = filepath.Join(d.Dir, rel)
	default:
		path = filepath.Join(d.Dir, datasetStem(d)+".expt")
		note = fmt.Sprintf("; the command's -expt %s is outside the folder", exptFile)
	}
	items := make([]int, 0, m.Last-m.First+1)
	for i := m.First; i <= m.Last; i++ {
		items = append(items, i)
	}
	if l, err = list(items); err != nil {
		return "", nil, "", fmt.Errorf("experiment list: %v", err)
	}
	return path, l, note, nil
}
