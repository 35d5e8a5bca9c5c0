package gradcheck

import (
	"fmt"
	"math"
	"strings"
	"text/tabwriter"
)

// Try is one derivative estimate: the central difference
// (L(v+h) - L(v-h)) / 2h with h = Step (parameter units) when From is 0,
// else the Richardson extrapolation of the central differences with steps
// From and Step (From > Step), which cancels their h^2 error term.
type Try struct {
	Step, From, Numeric float64
}

// Pixel is one pixel's derivative: analytic (one-hot weighted gradient)
// and numeric (the estimate from the images that agrees best; Step and
// From as in Try).
type Pixel struct {
	Slow, Fast                    int
	Analytic, Numeric, Step, From float64
	RelErr                        float64
	// Floor is the pixel's absolute floor, AbsTol times its value over
	// the scale. Zero reports a numerically zero derivative: both within
	// Floor, or the analytic one exactly 0 and the numeric one within the
	// parameter's Result.Floor.
	Floor float64
	Zero  bool
}

// Err is the error the pixel is judged by: RelErr, or 0 when the
// derivatives differ by at most Floor.
func (p *Pixel) Err() float64 {
	if p.Zero || math.Abs(p.Analytic-p.Numeric) <= p.Floor {
		return 0
	}
	return p.RelErr
}

// Result is the check of one parameter.
type Result struct {
	Name  string
	Value float64 // the value differentiated at
	Scale float64 // what the relative steps multiplied
	// Analytic is the target's gradient entry; Numeric the estimate that
	// agreed best: the central difference with step Step, or when From is
	// not 0 the Richardson extrapolation from steps From and Step.
	Analytic, Numeric, Step, From float64
	// RelErr is |Analytic - Numeric| / max(|Analytic|, |Numeric|), 0 when
	// both are 0. AbsErr is |Analytic - Numeric| and Floor the absolute
	// tolerance it was held to.
	RelErr, AbsErr, Floor float64
	// Zero reports a numerically zero derivative: |Analytic| and
	// |Numeric| both at most Floor.
	Zero bool
	Pass bool
	// Tries lists every estimate: the central differences, largest step
	// first, then the extrapolations of neighbouring steps.
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
// derivative is not numerically zero (a zero derivative has no relative
// error to speak of) and the parameter it belongs to; "" when every
// derivative is zero.
func (r *Report) MaxRelErr() (float64, string) {
	worst, name := 0.0, ""
	for _, x := range r.Results {
		if x.Zero {
			continue
		}
		if x.RelErr > worst || name == "" {
			worst, name = x.RelErr, x.Name
		}
	}
	return worst, name
}

// String prints one row per parameter: value, analytic and numeric
// derivative, relative error, the step ("R" marks a Richardson
// extrapolation from ten or so times that step), verdict and the worst
// pixel.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loss %.9g\n", r.Loss)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "parameter\tvalue\tanalytic\tnumeric\trel err\tstep\t\tworst pixel (slow,fast)\tanalytic\tnumeric\trel err")
	for _, x := range r.Results {
		verdict := "ok"
		switch {
		case !x.Pass:
			verdict = "FAIL"
		case x.Zero:
			verdict = "ok (zero)"
		}
		fmt.Fprintf(w, "%s\t%.6g\t%+.9e\t%+.9e\t%.2e\t%s\t%s", x.Name, x.Value, x.Analytic, x.Numeric, x.RelErr, stepText(x.Step, x.From), verdict)
		if p := x.Worst; p != nil {
			fmt.Fprintf(w, "\t(%d,%d)\t%+.6e\t%+.6e\t%.2e\n", p.Slow, p.Fast, p.Analytic, p.Numeric, p.RelErr)
		} else {
			fmt.Fprint(w, "\t-\t\t\t\n")
		}
	}
	w.Flush()
	return b.String()
}

func stepText(step, from float64) string {
	if from != 0 {
		return fmt.Sprintf("%.1e R", step)
	}
	return fmt.Sprintf("%.1e", step)
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
