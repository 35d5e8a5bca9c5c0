package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gobragg/dataset"
	"gobragg/expt"
	"gobragg/imageio"
	"gobragg/shard"
)

// refineShardUsage is added to `gobragg refine -help`.
const refineShardUsage = `
Per-shot refinement of a dataset, shared between the tasks of a cluster's
array job:
  gobragg refine -shard INDEX/COUNT|auto/COUNT -shots N|FIRST-LAST
                 -data 'DIR/shot_#####.img' -out 'OUT/shot_#####.json' [-png 'OUT/fit_#####.png']
                 [-expt_in shots.expt | -expt_in 'DIR/split_###.expt'] -refine NAMES [options]
refines each shot of block INDEX (from 0) of COUNT contiguous blocks of the
shots on its own: in every argument, a run of '#' stands for the shot's
number, zero-padded to the run's length. auto takes INDEX from
SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX. With an -expt_in list of
several experiments (gobragg stills -expt), each shot starts from the
experiment whose image is its -data file. A shot that fails does not stop
the others (the exit status is 1 and they are named). Each shard keeps a
manifest beside the results (NAME.shard-INDEX-of-COUNT.json) and skips the
shots it lists on a re-run; gobragg gather OUT checks the set and merges the
results into one CSV table and a PNG of each parameter's distribution.
A shot whose fit does not converge keeps its result (with "converged": false
and the reason) and is named on stdout; gather's table has its status.
Exit status with -shard: 0 when every shot of the shard is refined, 1 when
any failed (each is named), 2 bad command line or a folder or output refused
before any work (another command line's manifest there, an output that is
not a regular file or lies outside the folder of -out).
`

// runRefineCommand is gobragg refine: one refinement, or with -shard one
// shard of a per-shot refinement (runSubcommand answers -help).
func runRefineCommand(args []string, stdout, stderr io.Writer) int {
	if !hasOption(args, "-shard", "-shots") {
		return runRefine(args, stdout, stderr)
	}
	job, err := refineShardJob(args, os.Getenv, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg refine: %v\n", err)
		return 2
	}
	m, err := job.Run()
	if err != nil {
		fmt.Fprintf(stderr, "gobragg refine: %v\n", err)
		return exitStatus(err) // 2 when the shard refuses its folder or outputs before any work
	}
	fmt.Fprintf(stdout, "shard %s: shots %d-%d complete, manifest %s\n", job.Shard, m.Shard.Lo, m.Shard.Hi, job.ManifestPath())
	return 0
}

// refineShardJob reads -shard and -shots and the per-shot templates, and
// returns the job that refines the shard's shots.
func refineShardJob(args []string, getenv func(string) string, stdout, stderr io.Writer) (*shard.Job, error) {
	var shardValue, shotRange string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a != "-shard" && a != "-shots" {
			rest = append(rest, a)
			continue
		}
		if i+1 >= len(args) {
			return nil, fmt.Errorf("%s: missing value at the end of the command line", a)
		}
		i++
		if a == "-shard" {
			shardValue = args[i]
		} else {
			shotRange = args[i]
		}
	}
	if shardValue == "" || shotRange == "" {
		return nil, fmt.Errorf("-shard and -shots go together: -shard INDEX/COUNT -shots N|FIRST-LAST (gobragg refine -help)")
	}
	spec, err := shard.Parse(shardValue, getenv)
	if err != nil {
		return nil, err
	}
	first, last, err := shard.ParseRange(shotRange)
	if err != nil {
		return nil, fmt.Errorf("-shots: %v", err)
	}
	// Every argument with a run of '#' is a per-shot template.
	templates := map[int]dataset.Template{}
	for i, a := range rest {
		if !strings.Contains(a, "#") {
			continue
		}
		t, err := dataset.ParseTemplate(a)
		if err == nil {
			_, err = t.Frame(last)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", optionOf(rest, i), err)
		}
		templates[i] = t
	}
	out, err := templateOf(rest, templates, "-out", true)
	if err != nil {
		return nil, err
	}
	png, err := templateOf(rest, templates, "-png", false)
	if err != nil {
		return nil, err
	}
	data, err := templateOf(rest, templates, "-data", true)
	if err != nil {
		return nil, err
	}
	shots, err := stillsList(rest, templates)
	if err != nil {
		return nil, err
	}
	shotArgs := func(n int) []string {
		a := append([]string(nil), rest...)
		for i, t := range templates {
			a[i], _ = t.Frame(n) // every shot fits: checked with the last
		}
		return a
	}
	outDir := filepath.Dir(mustFrame(out, first))
	return &shard.Job{
		Kind: "refine", Unit: "shot", Command: append([]string{"refine", "-shots", shotRange}, rest...),
		First: first, Last: last, Shard: spec, Dir: outDir, Name: out.Stem("shots"), KeepGoing: true, Log: stdout,
		Outputs: func(n int) []string {
			files := []string{mustFrame(out, n)}
			if png != nil {
				files = append(files, mustFrame(png, n))
			}
			return files
		},
		Render: func(n int) (map[string]int64, error) {
			a := shotArgs(n)
			var errs bytes.Buffer
			shotErr := io.MultiWriter(stderr, &errs)
			if shots != nil {
				// The shot's own experiment of the list, in a file of its own,
				// which messages call by the list's name.
				tmp, remove, err := tempDir("gobragg-shot-")
				if err != nil {
					return nil, err
				}
				defer remove()
				var alias string
				if a[shots.arg], alias, err = shots.write(mustFrame(data, n), tmp); err != nil {
					return nil, err
				}
				shotErr = renamer{shotErr, a[shots.arg], alias}
			}
			code := runRefine(a, stdout, shotErr)
			if code == 3 {
				// Its result is written, saying "converged": false; the
				// shot is done, and named.
				fmt.Fprintf(stdout, "shot %d did not converge: %s\n", n, strings.TrimPrefix(lastLine(errs.String()), "gobragg refine: did not converge: "))
				return nil, nil
			}
			if code != 0 {
				return nil, fmt.Errorf("gobragg refine exited %d: %s", code, lastLine(errs.String()))
			}
			return nil, nil // refinement draws no random numbers
		},
	}, nil
}

// templateOf returns the template given to option (nil when the option is
// absent and not required); the option must name a per-shot template.
func templateOf(args []string, templates map[int]dataset.Template, option string, required bool) (*dataset.Template, error) {
	for i := len(args) - 2; i >= 0; i-- {
		if args[i] != option {
			continue
		}
		t, ok := templates[i+1]
		if !ok {
			return nil, fmt.Errorf("%s %s: with -shard it must name each shot's file with a run of '#' for the shot number (e.g. shot_#####.json)", option, args[i+1])
		}
		return &t, nil
	}
	if required {
		return nil, fmt.Errorf("%s: -shard needs %s with a run of '#' for the shot number", option, option)
	}
	return nil, nil
}

func mustFrame(t *dataset.Template, n int) string {
	p, _ := t.Frame(n)
	return p
}

// optionOf names the argument at i for an error: its option, or itself.
func optionOf(args []string, i int) string {
	if i > 0 && strings.HasPrefix(args[i-1], "-") {
		return args[i-1]
	}
	return args[i]
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// shotList is an -expt_in experiment list of several shots (gobragg stills
// -expt): each shot starts from the experiment whose image is its data.
type shotList struct {
	arg  int // index of -expt_in's value in the arguments
	name string
	list *expt.List
}

// stillsList returns the -expt_in list when it holds several experiments
// and names no per-shot files; nil otherwise.
func stillsList(args []string, templates map[int]dataset.Template) (*shotList, error) {
	for i := len(args) - 2; i >= 0; i-- {
		if args[i] != "-expt_in" {
			continue
		}
		if _, perShot := templates[i+1]; perShot {
			return nil, nil
		}
		l, err := expt.ReadFile(args[i+1])
		if err != nil {
			return nil, fmt.Errorf("-expt_in: %v", err)
		}
		if len(l.Experiments) < 2 {
			return nil, nil
		}
		return &shotList{arg: i + 1, name: args[i+1], list: l}, nil
	}
	return nil, nil
}

// write writes the experiment of the shot whose image is data into dir
// and returns the file's path and what messages call it instead (the
// list's name and the experiment). The experiment is checked in the list
// first, so that what expt refuses names the user's list and its fields.
func (s *shotList) write(data, dir string) (path, alias string, err error) {
	k, err := s.list.FindImage(data)
	if err != nil {
		return "", "", err
	}
	if k < 0 {
		return "", "", fmt.Errorf("-expt_in %s: no experiment has the image %s", s.name, data)
	}
	if _, err := s.list.Experiment(k, s.name); err != nil {
		return "", "", fmt.Errorf("-expt_in: %v", err)
	}
	one, err := s.list.Split(k)
	if err != nil {
		return "", "", fmt.Errorf("-expt_in %s: %v", s.name, err)
	}
	path = filepath.Join(dir, "shot.expt")
	return path, fmt.Sprintf("%s (experiment[%d] alone)", s.name, k), imageio.WriteFileAtomic(path, one.Write)
}

// renamer writes to w with every old replaced by new: a shot's refine
// names its temporary one-experiment list by the user's list. (Each
// message is one write.)
type renamer struct {
	w        io.Writer
	old, new string
}

func (r renamer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, strings.ReplaceAll(string(p), r.old, r.new)); err != nil {
		return 0, err
	}
	return len(p), nil
}
