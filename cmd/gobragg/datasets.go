package main

import "gobragg/dataset"

func init() {
	register(subcommand{Name: "sweep", Summary: "render a rotation sweep of frames (SMV or miniCBF) with per-frame seeds",
		Help: dataset.SweepHelp, Run: dataset.SweepMain})
}
