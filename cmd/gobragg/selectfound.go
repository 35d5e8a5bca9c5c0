package main

import (
	"fmt"
	"io"

	"gobragg/refine"
)

// selectFound is -select found: the shoeboxes around the spots found on
// each frame's data, with one line per frame on stderr.
func selectFound(fl refineFlags, frames []refineFrame, stderr io.Writer) ([][]int, string, error) {
	out := make([][]int, len(frames))
	total := 0
	for k, fr := range frames {
		frame := refine.Frame{Name: fr.image.Name, Exp: fr.prob.Exp, Counts: fr.image.Counts}
		found := refine.FindSpots(frame, refine.FoundSpotFinder)
		if len(found) == 0 {
			return nil, "", &usageError{fmt.Sprintf("-select found: no spot found on %s", fr.image.Name)}
		}
		out[k] = refine.SelectFound(frame, found, fl.shoebox)
		total += len(found)
		fmt.Fprintf(stderr, "gobragg refine: -select found: %d spots found on %s, %d pixels in their shoeboxes\n",
			len(found), fr.image.Name, len(out[k]))
	}
	return out, fmt.Sprintf("shoeboxes of half-width %d around %d spots found on the data", fl.shoebox, total), nil
}
