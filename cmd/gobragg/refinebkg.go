package main

import "gobragg/refine"

// bkgJSON is the -out file's record of a background per shoebox; each box
// is an entry as a refined F is (hkl, start, value, and sigma, null when
// the fit did not converge).
type bkgJSON struct {
	Model  string     `json:"model"`
	Count  int        `json:"count"`
	Median jsonNumber `json:"median_counts_per_pixel"`
	AtZero int        `json:"at_zero"`
	Boxes  []fEntry   `json:"shoeboxes"`
}

// shoeboxBackgroundsJSON records a fit's shoebox backgrounds (nil: none).
func shoeboxBackgroundsJSON(res *refine.Result) *bkgJSON {
	if len(res.Shoeboxes) == 0 {
		return nil
	}
	s := res.BackgroundSummary()
	out := &bkgJSON{Model: refine.ShoeboxBackground.String(), Count: s.Count, Median: jsonNumber(s.Median), AtZero: s.AtZero}
	for _, b := range res.Shoeboxes {
		e := fEntry{HKL: b.HKL, Start: jsonNumber(b.Start), Value: jsonNumber(b.Value)}
		if res.Converged {
			sg := jsonNumber(b.Sigma)
			e.Sigma = &sg
		}
		out.Boxes = append(out.Boxes, e)
	}
	return out
}
