package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gobragg/graph"
	"gobragg/refine"
)

// applyStart sets the frames' models to the values of an earlier fit's
// -out file (none when path is ""): every parameter it lists, a
// background_K on frame K only. A value outside a parameter's range, a
// name that is not a parameter of this run, or a file that is not refine's
// is refused naming -start.
func applyStart(path string, frames []refineFrame) error {
	if path == "" {
		return nil
	}
	_, values, err := readRefineValues(path)
	if err != nil {
		return &usageError{fmt.Sprintf("-start: %v", err)}
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		target, set := frames, name
		if k, ok := strings.CutPrefix(name, graph.PBackground+"_"); ok {
			n, err := strconv.Atoi(k)
			if err != nil || n < 1 || n > len(frames) {
				return &usageError{fmt.Sprintf("-start: %s: %s names no frame of the %d given", path, name, len(frames))}
			}
			target, set = frames[n-1:n], graph.PBackground
		}
		for _, fr := range target {
			if err := refine.SetValue(fr.prob.Exp, set, values[name]); err != nil {
				return &usageError{fmt.Sprintf("-start: %s: %v", path, err)}
			}
		}
	}
	return nil
}
