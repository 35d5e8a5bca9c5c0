package dataset

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gobragg/config"
	"gobragg/shard"
)

// cutShard removes -shard VALUE from args and returns VALUE ("" when absent).
func cutShard(args []string) (string, []string, error) {
	value, rest := "", make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if args[i] != "-shard" {
			rest = append(rest, args[i])
			continue
		}
		if i+1 >= len(args) {
			return "", nil, &config.UsageError{Option: "-shard", Msg: "missing value at the end of the command line"}
		}
		value = args[i+1]
		i++
	}
	return value, rest, nil
}

// numbered is what sharding needs of a data set of numbered items.
type numbered struct {
	kind, unit string
	items      []int // contiguous, increasing
	// templates name each item's files (nil entries are skipped).
	templates []*Template
	seeds     func(i int) map[string]int64
	render    func(items []int, log io.Writer) error
}

func (sw *Sweep) numbered() numbered {
	return numbered{kind: "sweep", unit: "frame", items: sw.Frames, templates: []*Template{&sw.Template, sw.FloatTemplate},
		seeds:  func(i int) map[string]int64 { return map[string]int64{"-seed": FrameSeed(sw.Seed, i)} },
		render: sw.RenderFrames}
}

func (st *Stills) numbered() numbered {
	return numbered{kind: "stills", unit: "shot", items: st.Shots, templates: []*Template{&st.Template, st.FloatTemplate},
		seeds: func(i int) map[string]int64 {
			return map[string]int64{"-seed": FrameSeed(st.Seed, i), "-misset_seed": OrientationSeed(st.Seed, i)}
		},
		render: st.RenderShots}
}

// ShardJob returns the shard.Job that renders one shard of the sweep's
// frames: command is the sweep's command line without -shard (it names the
// dataset in the manifests, so every shard must be given the same one).
// The manifest goes beside the frames, named after the template's stem.
func (sw *Sweep) ShardJob(spec shard.Spec, command []string, log io.Writer) (*shard.Job, error) {
	return sw.numbered().job(spec, command, log)
}

// ShardJob is Sweep.ShardJob for still shots.
func (st *Stills) ShardJob(spec shard.Spec, command []string, log io.Writer) (*shard.Job, error) {
	return st.numbered().job(spec, command, log)
}

func (d numbered) job(spec shard.Spec, command []string, log io.Writer) (*shard.Job, error) {
	// Without -seed each shard, and gather, would take its own clock seed:
	// other noise (and, for stills, other crystals) than the manifests say.
	if !hasOption(command, "-seed") {
		return nil, &config.UsageError{Option: "-shard", Msg: fmt.Sprintf("a sharded %s needs -seed N, so that every shard and gather draw the same %ss", d.kind, d.unit)}
	}
	first, last := d.items[0], d.items[len(d.items)-1]
	main := d.templates[0]
	path, err := main.Frame(first)
	if err != nil {
		return nil, err
	}
	return &shard.Job{
		Kind: d.kind, Unit: d.unit, Command: command,
		First: first, Last: last, Shard: spec,
		Dir: filepath.Dir(path), Name: main.Stem(d.unit + "s"),
		Outputs: func(i int) []string {
			var out []string
			for _, t := range d.templates {
				if t != nil {
					p, _ := t.Frame(i) // every item of the range fits: parsing checked the last
					out = append(out, p)
				}
			}
			return out
		},
		Render: func(i int) (map[string]int64, error) { return d.seeds(i), d.render([]int{i}, log) },
		Log:    log,
	}, nil
}

// Stem is the part of the template's file name before its '#' run,
// without trailing separators ("lyso_#####.img" -> "lyso"), or def when
// nothing is left. It names the dataset's shard manifests.
func (t Template) Stem(def string) string {
	_, name := filepath.Split(t.prefix)
	if stem := strings.TrimRight(name, "_-. "); stem != "" {
		return stem
	}
	return def
}

// shardMain renders one shard of a data set and keeps its manifest; items
// an earlier run of the shard completed are skipped. The data set's -expt
// is left to gobragg gather.
func shardMain(name, value string, command []string, job func(shard.Spec, []string, io.Writer) (*shard.Job, error), stdout, stderr io.Writer) int {
	spec, err := shard.Parse(value, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg %s: %v\n", name, err)
		return 2
	}
	j, err := job(spec, append([]string{name}, command...), stdout)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg %s: %v\n", name, err)
		return exitStatus(err)
	}
	m, err := j.Run()
	if err != nil {
		fmt.Fprintf(stderr, "gobragg %s: %v\n", name, err)
		return exitStatus(err)
	}
	if m.Shard.Lo > m.Shard.Hi {
		fmt.Fprintf(stdout, "shard %s: no %ss (more shards than %ss)\n", spec, m.Unit, m.Unit)
	} else {
		fmt.Fprintf(stdout, "shard %s: %ss %d-%d complete, manifest %s\n", spec, m.Unit, m.Shard.Lo, m.Shard.Hi, j.ManifestPath())
	}
	return 0
}
