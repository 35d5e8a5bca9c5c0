package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gobragg/imageio"
	"gobragg/refine"
)

// Structure factors as refinement parameters: -refine F, -restraint F=S
// and -hklout FILE of gobragg refine (see refine.FName for the rule).

// refinesF reports whether -refine names the structure factors.
func (f refineFlags) refinesF() bool {
	for _, n := range f.names {
		if n == refine.FName {
			return true
		}
	}
	return false
}

// fRestraintArg reads -restraint F=S: S is the sigma of ln F about the
// geometric mean of its resolution bin.
func fRestraintArg(v string, parts []string) (float64, error) {
	if len(parts) != 1 {
		return 0, &usageError{fmt.Sprintf("-restraint %q: want F=S, S the sigma of ln F about its resolution bin (e.g. F=0.5)", v)}
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return 0, &usageError{fmt.Sprintf("-restraint %q: the sigma of ln F must be a finite number > 0", v)}
	}
	return x, nil
}

// refineOutputs names gobragg refine's outputs for imageio.CheckOutputs.
func refineOutputs(f refineFlags) []imageio.NamedPath {
	return []imageio.NamedPath{{Option: "-out", Path: f.out}, {Option: "-png", Path: f.png}, {Option: "-hklout", Path: f.hklout}}
}

// checkFInputs refuses -refine F without a structure-factor table, and
// outputs that name the -hkl table (an input, as -data is).
func checkFInputs(fl refineFlags, frames []refineFrame) error {
	s := frames[0].prob.Settings
	if fl.refinesF() && frames[0].prob.Exp.Setup.Grid.Count == 0 {
		return &usageError{"-refine F needs a structure-factor table: give -hkl FILE"}
	}
	if s.HKLFile == "" {
		return nil
	}
	in := append(dataPaths(fl.data), imageio.NamedPath{Option: "-hkl", Path: s.HKLFile})
	if err := imageio.CheckOutputs(in, refineOutputs(fl)); err != nil {
		return &usageError{err.Error()}
	}
	return nil
}

// writeRefinedHKL writes one line "h k l F SIGF" per refined reflection,
// the text format -hkl reads (its fifth column is ignored). SIGF is nan
// where the error is no standard error: every line of a fit that did not
// converge, an F held at 0, an undetermined F.
func writeRefinedHKL(w io.Writer, res *refine.Result) error {
	bw := bufio.NewWriter(w)
	for _, p := range res.F {
		sig := "nan"
		if res.Converged && !math.IsNaN(p.Sigma) {
			sig = strconv.FormatFloat(p.Sigma, 'g', 5, 64)
		}
		fmt.Fprintf(bw, "%d %d %d %s %s\n", p.H, p.K, p.L, strconv.FormatFloat(p.Value, 'g', 10, 64), sig)
	}
	return bw.Flush()
}

// maxFInJSON is how many refined structure factors -out lists one by one;
// more are summarised (the table is -hklout).
const maxFInJSON = 20

// fJSON is the structure-factor part of -out.
type fJSON struct {
	Count          int         `json:"count"`
	HKLOut         string      `json:"hklout,omitempty"`
	Restraint      jsonNumber  `json:"restraint_sigma_ln_f,omitempty"`
	MedianRelSigma *jsonNumber `json:"median_sigma_over_f"` // null when the fit did not converge
	CCStart        jsonNumber  `json:"cc_to_start"`
	AtZero         int         `json:"at_zero"`
	Undetermined   int         `json:"undetermined"`
	Reflections    []fEntry    `json:"reflections,omitempty"`
}

type fEntry struct {
	HKL   [3]int      `json:"hkl"`
	Start jsonNumber  `json:"start"`
	Value jsonNumber  `json:"value"`
	Sigma *jsonNumber `json:"sigma"`
}

func structureFactorsJSON(res *refine.Result, fl refineFlags) *fJSON {
	if len(res.F) == 0 {
		return nil
	}
	s := res.FSummary()
	out := &fJSON{Count: s.Count, HKLOut: fl.hklout, Restraint: jsonNumber(fl.fRestraint), CCStart: jsonNumber(s.CCStart),
		AtZero: s.AtZero, Undetermined: s.Undetermined}
	if res.Converged {
		m := jsonNumber(s.MedianRelSigma)
		out.MedianRelSigma = &m
	}
	if len(res.F) <= maxFInJSON {
		for _, p := range res.F {
			e := fEntry{HKL: [3]int{p.H, p.K, p.L}, Start: jsonNumber(p.Start), Value: jsonNumber(p.Value)}
			if res.Converged {
				sg := jsonNumber(p.Sigma)
				e.Sigma = &sg
			}
			out.Reflections = append(out.Reflections, e)
		}
	}
	return out
}
