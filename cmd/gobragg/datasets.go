package main

import (
	"gobragg/dataset"
	"gobragg/gather"
)

func init() {
	register(subcommand{Name: "sweep", Summary: "render a rotation sweep of frames (SMV or miniCBF), optionally one shard of it",
		Help: dataset.SweepHelp, Run: dataset.SweepMain})
	register(subcommand{Name: "gather", Summary: "check that a sharded dataset is complete and write its one experiment list",
		Help: gather.Usage + "\n", Run: gather.Main})
}
