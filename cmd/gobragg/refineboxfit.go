package main

import "gobragg/refine"

// boxFitJSON is one shoebox's goodness of fit in the -out file.
type boxFitJSON struct {
	HKL      [3]int     `json:"hkl"`
	Row      int        `json:"row"`
	Pixels   int        `json:"pixels"`
	Counts   jsonNumber `json:"counts"`
	Model    jsonNumber `json:"model_counts"`
	Value    jsonNumber `json:"value"`
	Expected jsonNumber `json:"expected"`
	Z        jsonNumber `json:"z"`
}

// shoeboxFitsJSON records where the model fits, box by box (nil: no
// shoeboxes).
func shoeboxFitsJSON(res *refine.Result) []boxFitJSON {
	var out []boxFitJSON
	for _, b := range res.BoxFits {
		out = append(out, boxFitJSON{HKL: b.HKL, Row: b.Row, Pixels: b.Fit.Pixels, Counts: jsonNumber(b.Counts),
			Model: jsonNumber(b.Model), Value: jsonNumber(b.Fit.Value), Expected: jsonNumber(b.Fit.Expected), Z: jsonNumber(b.Fit.Z)})
	}
	return out
}
