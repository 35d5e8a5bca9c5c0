package dataset

// SweepHelp is the text of `gobragg sweep -help`, for the CLI's list of subcommands.
const SweepHelp = sweepUsage

// StillsHelp is the text of `gobragg stills -help`.
const StillsHelp = stillsUsage
