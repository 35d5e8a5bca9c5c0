package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
)

// readRefineValues reads the fitted values of a gobragg refine -out file:
// whether the fit converged, and each listed parameter's value, in the
// parameter's own unit, by name. A file that cannot be read, is not a JSON
// object with "converged" and "parameters", or lists a parameter without a
// value is refused with one line naming path; callers prefix the flag that
// gave it.
func readRefineValues(path string) (converged bool, values map[string]float64, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, nil, err
	}
	var r struct {
		Converged  *bool `json:"converged"`
		Parameters map[string]struct {
			Value *float64 `json:"value"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &r); err != nil || r.Converged == nil || r.Parameters == nil {
		return false, nil, fmt.Errorf("%s is not a gobragg refine -out file", path)
	}
	values = make(map[string]float64, len(r.Parameters))
	for _, name := range slices.Sorted(maps.Keys(r.Parameters)) {
		v := r.Parameters[name].Value
		if v == nil {
			return false, nil, fmt.Errorf("%s gives no value of %s", path, name)
		}
		values[name] = *v
	}
	return *r.Converged, values, nil
}
