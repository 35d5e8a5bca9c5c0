package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
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
	data, err := os.ReadFile(path)
	if err != nil {
		return &usageError{fmt.Sprintf("-start: %v", err)}
	}
	var r struct {
		Converged  *bool `json:"converged"`
		Parameters map[string]struct {
			Value *float64 `json:"value"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &r); err != nil || r.Converged == nil || r.Parameters == nil {
		return &usageError{fmt.Sprintf("-start: %s is not a gobragg refine -out file", path)}
	}
	for _, name := range slices.Sorted(maps.Keys(r.Parameters)) {
		p := r.Parameters[name]
		if p.Value == nil {
			return &usageError{fmt.Sprintf("-start: %s gives no value of %s", path, name)}
		}
		target, set := frames, name
		if k, ok := strings.CutPrefix(name, graph.PBackground+"_"); ok {
			n, err := strconv.Atoi(k)
			if err != nil || n < 1 || n > len(frames) {
				return &usageError{fmt.Sprintf("-start: %s: %s names no frame of the %d given", path, name, len(frames))}
			}
			target, set = frames[n-1:n], graph.PBackground
		}
		for _, fr := range target {
			if err := refine.SetValue(fr.prob.Exp, set, *p.Value); err != nil {
				return &usageError{fmt.Sprintf("-start: %s: %v", path, err)}
			}
		}
	}
	return nil
}
