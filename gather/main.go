package gather

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"gobragg/config"
	"gobragg/imageio"
	"gobragg/shard"
)

// Usage is the text of `gobragg gather -help`.
const Usage = `usage: gobragg gather [-noverify] [-expt FILE | -noexpt] [-csv FILE] [-png FILE] DIR

Reads every shard manifest (*.shard-*-of-*.json) in DIR, written by
sweep, stills or refine run with -shard INDEX/COUNT, and checks that they
cover the dataset's frames or shots exactly once and that every file still
has the size and sha256 its manifest recorded, and prints a summary.
Each manifest is checked first against its command line, the other
manifests and sane limits; its file paths must lie inside DIR. DIR may be
a copy or a move of the shards' folder: gather reads and writes in DIR.

For a sweep or stills, a complete set also gets its one DIALS experiment list, the
file the one-machine run writes with -expt (made from the manifests'
command line, whose inputs are read in the directory the shards ran in),
naming DIR's frames:
  -expt FILE  where to write it (default: the command's -expt when it lies in
              the shards' folder, at its place in DIR; else DIR/NAME.expt)
  -noexpt     do not write it

For per-shot refinement (gobragg refine -shard), a complete set is also
merged into one table and one picture:
  -csv FILE   every shot's refined parameters, standard errors and starts,
              and its other result numbers (default DIR/NAME.csv)
  -png FILE   a histogram of each parameter over the shots (default
              DIR/NAME_parameters.png)
NAME is the manifests' stem (NAME.shard-*-of-*.json).

  -noverify   check coverage only, without re-hashing the files

Exit status: 0 when the dataset is complete, 1 when frames or shots are
missing, duplicated or corrupt (each named), 2 for a usage error or a
manifest that cannot be trusted (named, with what is wrong).
`

// Main runs gather with its command-line arguments and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gather", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	noverify := fs.Bool("noverify", false, "")
	exptPath := fs.String("expt", "", "")
	noexpt := fs.Bool("noexpt", false, "")
	csvPath := fs.String("csv", "", "")
	pngPath := fs.String("png", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, Usage)
			return 0
		}
		fmt.Fprintf(stderr, "gobragg gather: %v (gobragg gather -help)\n", err)
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "gobragg gather: want one directory, got %d arguments (gobragg gather -help)\n", fs.NArg())
		return 2
	}
	dir := fs.Arg(0)
	d, err := shard.Open(dir)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg gather: %v\n", err)
		return config.ExitStatus(err) // 2 for a manifest that cannot be trusted
	}
	c := d.Check(!*noverify)
	m := d.First()
	n := m.Last - m.First + 1
	fmt.Fprintf(stdout, "%s: %s of %d %ss (%d-%d), %d manifests\n", dir, m.Kind, n, m.Unit, m.First, m.Last, len(d.Manifests))
	if !c.OK() {
		report(stderr, m.Unit, c)
		return 1
	}
	verified := "coverage only, files not re-hashed"
	if !*noverify {
		verified = fmt.Sprintf("%d files verified (size and sha256)", countFiles(d))
	}
	fmt.Fprintf(stdout, "complete: every %s exactly once, %s\n", m.Unit, verified)
	if m.Kind == "refine" {
		stem := datasetStem(d)
		if *csvPath == "" {
			*csvPath = filepath.Join(dir, stem+".csv")
		}
		if *pngPath == "" {
			*pngPath = filepath.Join(dir, stem+"_parameters.png")
		}
	}
	if err := checkOutputs(d, *exptPath, *csvPath, *pngPath); err != nil {
		fmt.Fprintf(stderr, "gobragg gather: %v\n", err)
		return 2
	}
	fmt.Fprintln(stdout, wallSummary(d))
	if (m.Kind == "sweep" || m.Kind == "stills") && !*noexpt {
		path, note, err := writeExpt(d, *exptPath)
		if err != nil {
			fmt.Fprintf(stderr, "gobragg gather: %v\n", err)
			return config.ExitStatus(err)
		}
		fmt.Fprintf(stdout, "wrote %s (DIALS experiment list of %ss %d-%d%s)\n", path, m.Unit, m.First, m.Last, note)
	}
	if m.Kind == "refine" {
		if err := writeShotTables(d, *csvPath, *pngPath, stdout); err != nil {
			fmt.Fprintf(stderr, "gobragg gather: %v\n", err)
			return 1
		}
	}
	return 0
}

// checkOutputs refuses an output that names a file of the dataset (a
// frame, a result, a manifest) or another output.
func checkOutputs(d *shard.Dataset, expt, csv, png string) error {
	var inputs []imageio.NamedPath
	for k, m := range d.Manifests {
		inputs = append(inputs, imageio.NamedPath{Option: "manifest", Path: d.Paths[k]})
		for _, it := range m.Items {
			for _, f := range it.Files {
				inputs = append(inputs, imageio.NamedPath{Option: fmt.Sprintf("%s %d", m.Unit, it.Number),
					Path: filepath.Join(d.Dir, filepath.FromSlash(f.Path))})
			}
		}
	}
	return imageio.CheckOutputs(inputs, []imageio.NamedPath{{Option: "-expt", Path: expt}, {Option: "-csv", Path: csv}, {Option: "-png", Path: png}})
}

// datasetStem is NAME of the first manifest's NAME.shard-I-of-N.json.
func datasetStem(d *shard.Dataset) string {
	base := filepath.Base(d.Paths[0])
	return base[:strings.LastIndex(base, ".shard-")]
}

// writeShotTables merges the shots' refinement results into the CSV table
// and the PNG of distributions: both files or neither (one imageio.Batch).
func writeShotTables(d *shard.Dataset, csvPath, pngPath string, stdout io.Writer) error {
	shots, err := ReadShots(d)
	if err != nil {
		return err
	}
	names, _, err := ParameterNames(shots)
	if err != nil {
		return err
	}
	var batch imageio.Batch
	if err := batch.Add(csvPath, func(w io.Writer) error { return WriteTable(w, shots) }); err != nil {
		batch.Abort()
		return err
	}
	if err := batch.Add(pngPath, func(w io.Writer) error { return WriteDistributions(w, shots) }); err != nil {
		batch.Abort()
		return err
	}
	if err := batch.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and %s (%d shots, %d parameters)\n", csvPath, pngPath, len(shots), len(names))
	if _, left := Converged(shots); left > 0 {
		fmt.Fprintf(stdout, "%d shots did not converge: in the table (converged false, with the reason), left out of %s\n", left, pngPath)
	}
	return nil
}

// report writes one line per kind of defect, naming the items.
func report(w io.Writer, unit string, c *shard.Coverage) {
	if len(c.Missing) > 0 {
		fmt.Fprintf(w, "gobragg gather: %d missing %ss: %s\n", shard.Len(c.Missing), unit, shard.FormatSpans(c.Missing))
	}
	if len(c.Duplicated) > 0 {
		nums := make([]int, 0, len(c.Duplicated))
		for k := range c.Duplicated {
			nums = append(nums, k)
		}
		slices.Sort(nums)
		fmt.Fprintf(w, "gobragg gather: %d duplicated %ss: %s\n", len(nums), unit, shard.Ranges(nums))
		// Frames listed by the same manifests go on one line.
		var groups []string
		byOwners := map[string][]int{}
		for _, k := range nums {
			owners := strings.Join(c.Duplicated[k], ", ")
			if byOwners[owners] == nil {
				groups = append(groups, owners)
			}
			byOwners[owners] = append(byOwners[owners], k)
		}
		for _, g := range groups {
			fmt.Fprintf(w, "  %ss %s in %s\n", unit, shard.Ranges(byOwners[g]), g)
		}
	}
	for _, s := range c.Corrupt {
		fmt.Fprintf(w, "gobragg gather: corrupt: %s\n", s)
	}
	if len(c.Absent) > 0 {
		fmt.Fprintf(w, "gobragg gather: shards with no manifest: %s\n", strings.Join(c.Absent, ", "))
	}
	if len(c.Unfinished) > 0 {
		fmt.Fprintf(w, "gobragg gather: unfinished shards: %s\n", strings.Join(c.Unfinished, ", "))
	}
}

// wallSummary says how long the items took, added over the shards, and where.
func wallSummary(d *shard.Dataset) string {
	seconds, hosts := 0.0, map[string]bool{}
	for _, m := range d.Manifests {
		seconds += m.WallSeconds
		if m.Host != "" {
			hosts[m.Host] = true
		}
	}
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	slices.Sort(names)
	plural := func(n int, what string) string {
		if n == 1 {
			return "1 " + what
		}
		return fmt.Sprintf("%d %ss", n, what)
	}
	return fmt.Sprintf("wall time %.1f s added over %s, on %s (%s)", seconds, plural(len(d.Manifests), "shard"),
		plural(len(names), "host"), strings.Join(names, ", "))
}

func countFiles(d *shard.Dataset) int {
	n := 0
	for _, m := range d.Manifests {
		for _, it := range m.Items {
			n += len(it.Files)
		}
	}
	return n
}
