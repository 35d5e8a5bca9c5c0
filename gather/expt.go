package gather

import (
	"fmt"
	"os"
	"path/filepath"

	"gobragg/dataset"
	"gobragg/expt"
	"gobragg/imageio"
	"gobragg/shard"
)

// writeExpt writes the DIALS experiment list of the whole sweep or set of
// stills, as the one-machine run of the manifests' command line would with
// -expt: to path if given, else to the command's -expt, else to DIR/NAME.expt.
// The command is resolved in the directory the shards ran in (its input
// files and relative paths are there), or in the current one when that
// directory does not exist here. It returns the path written.
func writeExpt(d *shard.Dataset, path string) (written string, err error) {
	m := d.First()
	dir, err := filepath.Abs(d.Dir)
	if err != nil {
		return "", err
	}
	if path != "" {
		if path, err = filepath.Abs(path); err != nil {
			return "", err
		}
	}
	if m.Workdir != "" {
		if st, err := os.Stat(m.Workdir); err == nil && st.IsDir() {
			wd, err := os.Getwd()
			if err != nil {
				return "", err
			}
			if err := os.Chdir(m.Workdir); err != nil {
				return "", err
			}
			defer func() {
				// Later relative paths (gather's -csv, a caller's files) need the old directory back.
				if e := os.Chdir(wd); e != nil && err == nil {
					written, err = "", e
				}
			}()
		}
	}
	if len(m.Command) == 0 || m.Command[0] != m.Kind {
		return "", fmt.Errorf("manifest command %q is not a %s", m.Command, m.Kind)
	}
	var exptFile string
	var list func([]int) (*expt.List, error)
	switch m.Kind {
	case "sweep":
		sw, err := dataset.ParseSweep(m.Command[1:])
		if err != nil {
			return "", fmt.Errorf("the sweep's command line: %v", err)
		}
		exptFile, list = sw.ExptFile, sw.ExperimentList
	case "stills":
		st, err := dataset.ParseStills(m.Command[1:])
		if err != nil {
			return "", fmt.Errorf("the stills' command line: %v", err)
		}
		exptFile, list = st.ExptFile, st.ExperimentList
	default:
		return "", fmt.Errorf("a %s has no experiment list", m.Kind)
	}
	if path == "" {
		path = exptFile
	}
	if path == "" {
		path = filepath.Join(dir, datasetStem(d)+".expt")
	}
	items := make([]int, 0, m.Last-m.First+1)
	for i := m.First; i <= m.Last; i++ {
		items = append(items, i)
	}
	l, err := list(items)
	if err == nil {
		err = imageio.WriteFileAtomic(path, l.Write)
	}
	if err != nil {
		return "", fmt.Errorf("experiment list: %v", err)
	}
	return path, nil
}
