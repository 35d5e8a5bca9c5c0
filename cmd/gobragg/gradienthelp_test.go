package main

import (
	"strings"
	"testing"

	"gobragg/graph"
)

// The help of gobragg gradient lists every name of graph's parameter
// registry with the unit refine and gradient use for it.
func TestGradientHelpListsRegistry(t *testing.T) {
	units, names := graph.OptionUnits()
	for _, u := range units {
		for _, n := range names[u] {
			found := false
			for _, line := range strings.Split(gradientUsage, "\n") {
				if strings.Contains(" "+line+" ", " "+n+" ") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s (%s) is not in gobragg gradient -help", n, u)
			}
		}
	}
	if !strings.Contains(gradientUsage, "Angstrom") || !strings.Contains(gradientUsage, "lambda = 12398.42/energy") {
		t.Errorf("the help's table lacks units:\n%s", gradientUsage)
	}
}
