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

// ShardJob returns the shard.Job that renders one shard of the sweep's
// frames: command is the sweep's command line without -shard (it names the
// dataset in the manifests, so every shard must be given the same one).
// The manifest goes beside the frames, named after the template's stem.
func (sw *Sweep) ShardJob(spec shard.Spec, command []string, log io.Writer) (*shard.Job, error) {
	first, last := sw.Frames[0], sw.Frames[len(sw.Frames)-1]
	path, err := sw.Template.Frame(first)
	if err != nil {
		return nil, err
	}
	return &shard.Job{
		Kind: "sweep", Unit: "frame", Command: command,
		First: first, Last: last, Shard: spec,
		Dir: filepath.Dir(path), Name: templateStem(sw.Template),
		Outputs: func(i int) []string {
			var out []string
			for _, t := range []*Template{&sw.Template, sw.FloatTemplate} {
				if t != nil {
					p, _ := t.Frame(i) // every frame of the range fits: ParseSweep checked the last
					out = append(out, p)
				}
			}
			return out
		},
		Render: func(i int) (int64, error) {
			return FrameSeed(sw.Seed, i), sw.RenderFrames([]int{i}, log)
		},
		Log: log,
	}, nil
}

// templateStem is the template's file name without its '#' run and
// extension ("lyso_#####.img" -> "lyso"), or "frames" when nothing is left.
func templateStem(t Template) string {
	_, name := filepath.Split(t.prefix)
	stem := strings.TrimRight(name, "_-. ")
	if stem == "" {
		return "frames"
	}
	return stem
}

// shardMain renders the frames of one shard of the sweep and keeps its
// manifest; frames an earlier run of the shard completed are skipped.
func (sw *Sweep) shardMain(value string, command []string, stdout, stderr io.Writer) int {
	spec, err := shard.Parse(value, os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
		return 2
	}
	job, err := sw.ShardJob(spec, append([]string{"sweep"}, command...), stdout)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
		return exitStatus(err)
	}
	m, err := job.Run()
	if err != nil {
		fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
		return exitStatus(err)
	}
	if m.Shard.Lo > m.Shard.Hi {
		fmt.Fprintf(stdout, "shard %s: no frames (more shards than frames)\n", spec)
	} else {
		fmt.Fprintf(stdout, "shard %s: frames %d-%d complete, manifest %s\n", spec, m.Shard.Lo, m.Shard.Hi, job.ManifestPath())
	}
	return 0
}
