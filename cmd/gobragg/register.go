package main

// The subcommands that live outside this file register here, so that main.go
// stays one dispatcher (see subcommands.go).

import (
	"gobragg/dataset"
	"gobragg/gather"
)

func init() {
	register(subcommand{Name: "sweep", Summary: "render a rotation sweep of frames (SMV or miniCBF), optionally one shard of it",
		Help: dataset.SweepHelp, Run: dataset.SweepMain})
	register(subcommand{Name: "stills", Summary: "render randomly oriented still shots (serial crystallography), optionally one shard of them",
		Help: dataset.StillsHelp, Run: dataset.StillsMain})
	register(subcommand{Name: "gather", Summary: "check that a sharded dataset is complete; write its experiment list or refinement table",
		Help: gather.Usage, Run: gather.Main})
}

func init() {
	register(subcommand{Name: "refine", Summary: "fit experiment parameters to measured images (likelihoods, restraints, standard errors)",
		Help: refineUsage + refineShardUsage, Run: runRefineCommand})
}
