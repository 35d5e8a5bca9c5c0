package gradcheck

import (
	"fmt"
	"math"
	"strings"
	"text/tabwriter"
)

// Try is one central difference: step h (parameter units) and the
// derivative (L(v+h) - L(v-h)) / 2h it gave.
type Try struct {
	Step, Numeric float64
}

// Pixel is one pixel's derivative: analytic (one-hot weighted gradient)
// and numeric (the central difference of the images that agrees best, at
// Step).
type Pixel struct {
	Slow, Fast              int
	Analytic, Numeric, Step float64
	RelErr                  float64
}

// Result is the check of one parameter.
type Result struct {
	Name  string
	Value float64 // the value differentiated at
	Scale float64 // what the relative steps multiplied
	// Analytic is the target's gradient entry; Numeric the central
	// difference at Step (the candidate that agreed best).
	Analytic, Numeric, Step float64
	// RelErr is |Analytic - Numeric| / max(|Analytic|, |Numeric|), 0 when
	// both are 0. AbsErr is |Analytic - Numeric| and Floor the absolute
	// tolerance it was held to.
	RelErr, AbsErr, Floor float64
	Pass                  bool
	// Tries lists every step candidate, largest step first.
	Tries []Try
	// Worst is the candidate pixel whose derivatives disagree most; nil
	// when the search was skipped or the image does not change.
	Worst *Pixel
}

// Report is the outcome of Check.
type Report struct {
	Loss    float64 // loss at the unperturbed values
	Results []Result
}

// Passed reports whether every parameter passed.
func (r *Report) Passed() bool {
	for _, x := range r.Results {
		if !x.Pass {
			return false
		}
	}
	return true
}

// Failed returns the results that did not pass.
func (r *Report) Failed() []Result {
	var out []Result
	for _, x := range r.Results {
		if !x.Pass {
			out = append(out, x)
		}
	}
	return out
}

// Result returns the result of the named parameter.
func (r *Report) Result(name string) (Result, bool) {
	for _, x := range r.Results {
		if x.Name == name {
			return x, true
		}
	}
	return Result{}, false
}

// MaxRelErr returns the largest relative error among results whose
// derivative is not zero (a zero derivative has no relative error to speak
// of) and the parameter it belongs to.
func (r *Report) MaxRelErr() (float64, string) {
	worst, name := 0.0, ""
	for _, x := range r.Results {
		if x.Analytic == 0 && x.Numeric == 0 {
			continue
		}
		if x.RelErr > worst || name == "" {
			worst, name = x.RelErr, x.Name
		}
	}
	return worst, name
}

// String prints one row per parameter: value, analytic and numeric
// derivative, relative error, step, verdict and the worst pixel.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loss %.9g\n", r.Loss)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "parameter\tvalue\tanalytic\tnumeric\trel err\tstep\t\tworst pixel (slow,fast)\tanalytic\tnumeric\trel err")
	for _, x := range r.Results {
		verdict := "ok"
		if !x.Pass {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "%s\t%.6g\t%+.9e\t%+.9e\t%.2e\t%.1e\t%s", x.Name, x.Value, x.Analytic, x.Numeric, x.RelErr, x.Step, verdict)
		if p := x.Worst; p != nil {
			fmt.Fprintf(w, "\t(%d,%d)\t%+.6e\t%+.6e\t%.2e\n", p.Slow, p.Fast, p.Analytic, p.Numeric, p.RelErr)
		} else {
			fmt.Fprint(w, "\t-\t\t\t\n")
		}
	}
	w.Flush()
	return b.String()
}

// relErr is |a-n| / max(|a|, |n|), 0 when both are 0.
func relErr(a, n float64) float64 {
	d := math.Abs(a - n)
	if math.IsNaN(d) {
		return math.Inf(1)
	}
	if d == 0 {
		return 0
	}
	return d / math.Max(math.Abs(a), math.Abs(n))
}
