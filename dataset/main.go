package dataset

import (
	"fmt"
	"io"

	"gobragg/config"
)

// SweepMain runs `gobragg sweep ARGS` and returns the exit status: 0 ok,
// 2 for a bad command line, 1 for any other failure.
func SweepMain(args []string, stdout, stderr io.Writer) int {
	if wantsHelp(args) {
		fmt.Fprint(stdout, sweepUsage)
		return 0
	}
	shardValue, args, err := cutShard(args)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
		return 2
	}
	sw, err := ParseSweep(args)
	if err != nil {
		fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
		return exitStatus(err)
	}
	if shardValue != "" {
		return shardMain("sweep", shardValue, args, sw.ShardJob, stdout, stderr)
	}
	sw.ProgressBar = progressBar(stderr, sw.Frames, sw.FrameArgs)
	if err := sw.RenderFrames(sw.Frames, stdout); err != nil {
		fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
		return exitStatus(err)
	}
	if sw.ExptFile != "" {
		if err := sw.WriteExpt(sw.ExptFile, sw.Frames); err != nil {
			fmt.Fprintf(stderr, "gobragg sweep: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %s (DIALS experiment list of frames %d-%d)\n", sw.ExptFile, sw.Frames[0], sw.Frames[len(sw.Frames)-1])
	}
	return 0
}

// exitStatus is config.ExitStatus.
var exitStatus = config.ExitStatus
