package refine

import (
	"time"

	"gobragg/graph"
)

// Frame is one observed image and the experiment that models it.
type Frame struct {
	Name string
	// Exp models the frame; its parameters are the starting values and
	// are overwritten by the refined ones.
	Exp *graph.Experiment
	// Counts are the observed counts in photons, one per detector pixel
	// (slow*fast pixels, fast-major); NaN leaves a pixel out.
	Counts []float64
	// Pixels, if non-nil, are the only detector pixels fitted (increasing
	// indices slow*FPixels + fast); only they are simulated.
	Pixels []int
}

// Restraint is a Gaussian prior on a parameter, in its option units:
// it adds 0.5 ((value - Center) / Sigma)^2 to the loss.
type Restraint struct {
	Name          string
	Center, Sigma float64
}

// Problem is what a refinement fits: frames, the names of the parameters
// to refine (option names, see Names), the likelihood, and priors. With several
// frames every parameter is shared except background, which becomes one
// constant per frame (reported as background_1, background_2, ...).
type Problem struct {
	Frames []Frame
	Names  []string
	// Likelihood is the loss per pixel, with its parameters (nil:
	// Poisson{}); Refine refuses a Gaussian of negative or non-finite
	// readout noise.
	Likelihood Likelihood
	Restraints []Restraint
	// FRestraint, when > 0, restrains every refined structure factor
	// (Names containing FName) towards the geometric mean of the starting
	// F of its resolution bin, with FRestraint the sigma of ln F (see FName).
	FRestraint float64
	// Background is the background model when background is refined
	// (FrameBackground: one constant per frame). ShoeboxBackground needs
	// Shoeboxes, whose Frames index Frames and which must cover every
	// fitted pixel.
	Background BackgroundModel
	Shoeboxes  []Shoebox
	// ScaleFromData starts the scale at the data's counts above the
	// starting background over the starting model's photons, summed over
	// every frame's fitted pixels: the scale at which the starting model
	// holds the data's Bragg counts, whatever N (which sets the photons
	// of a spot by its peak) happens to be.
	ScaleFromData bool
}

// Settings control the optimiser and its report.
type Settings struct {
	// MaxIterations bounds the major iterations (0: DefaultMaxIterations).
	MaxIterations int
	// LossTolerance stops when an iteration lowers the loss by less than
	// this fraction of its magnitude (0: 1e-12), or by less than 1e-6 (a
	// millionth of a log-likelihood unit).
	LossTolerance float64
	// GradientThreshold stops when the largest derivative of the loss with
	// respect to a normalised variable (one unit = the typical step) is
	// below it (0: 1e-3).
	GradientThreshold float64
	// Steps give a typical step per parameter in option units; a parameter
	// without one gets 1/sqrt of its Fisher information at the start (its
	// expected standard error), so the normalised problem is well scaled.
	Steps map[string]float64
	// Progress, if set, is called after every iteration.
	Progress func(Iteration)
	// SpanPixels is passed to the graph (0: its default).
	SpanPixels int
	// Strategy is the stages of the fit, coarse to fine (nil:
	// DefaultStrategy()); the last must be a pixel stage over all.
	Strategy []Stage
	// FitSigmas is how far above its expectation, in standard deviations,
	// the goodness-of-fit statistic may lie for the fit to count as
	// converged (0: DefaultFitSigmas).
	FitSigmas float64
}

// DefaultMaxIterations bounds the major iterations when
// Settings.MaxIterations is 0.
const DefaultMaxIterations = 200

// Iteration is one line of progress.
type Iteration struct {
	Iter     int    // counted across the stages
	Stage    string // the stage it belongs to
	Loss     float64
	GradNorm float64 // Euclidean norm of the gradient in normalised variables
	Elapsed  time.Duration
	Names    []string  // the refined names (Problem.Names, with background_K per frame of a wedge)
	Values   []float64 // option units, in Names order
}

// Fitted is one refined parameter in option units.
type Fitted struct {
	Name  string
	Unit  string
	Start float64
	Value float64
	// Sigma is the standard error from the inverse Fisher information;
	// NaN when the data do not determine the parameter, or AtZero.
	Sigma float64
	// AtZero is set for a Poisson background that ended at its bound 0
	// with the loss rising inwards (the data put it at or below 0): it
	// has no standard error, and the others' errors are those of the fit
	// with it held at 0.
	AtZero bool
}

// StageReport is what one stage of the strategy did.
type StageReport struct {
	Stage      string // as ParseStrategy reads it
	Parameters int    // how many it refined
	Iterations int
	Loss       float64 // at the stage's end (pixel stages)
	Status     string
	Spots      *SpotReport // spot stages
	// Values are the refined parameters at the stage's end (Result's
	// order, option units).
	Values []float64
}

// Result is the outcome of Refine.
type Result struct {
	// Parameters are the refined named parameters; F the refined
	// structure factors (FName), in increasing table order.
	Parameters []Fitted
	F          []FittedF
	// Correlation is the correlation matrix of the refined parameters (NaN
	// rows and columns for undetermined ones).
	Correlation [][]float64
	// Undetermined names parameters (or combinations, "a+b") that the
	// Fisher information leaves undetermined.
	Undetermined []string
	// Decrement is the loss decrease a Newton step from the optimum
	// would still make, g^T C g / 2 (log-likelihood units): how far from
	// its minimum the fit stopped, in the data's own measure.
	Decrement   float64
	Loss        float64
	Iterations  int
	Evaluations int
	Pixels      int    // pixels compared with data, over all frames
	Status      string // what stopped the optimiser in the last stage
	// Converged is true when the last stage stopped at a minimum with no
	// parameter held at a bound and the model fits the data; Reason says
	// why not, or how it converged. The sigmas of a fit that did not
	// converge are no standard errors.
	Converged bool
	Reason    string
	// Fit is the goodness of fit at the optimum; Spots the spots found on
	// the data and the centroid RMSD of those the model indexes.
	Fit         GoodnessOfFit
	Spots       *SpotReport
	Stages      []StageReport
	LossHistory []float64
	Wall        time.Duration
	// Model holds, per frame, the expected counts at the optimum on every
	// detector pixel that was fitted (NaN elsewhere).
	Model [][]float64
	// Background holds, per frame, the background (counts) in Model on
	// the same pixels (NaN elsewhere).
	Background [][]float64
	// Shoeboxes are the refined backgrounds of a ShoeboxBackground fit,
	// in Problem.Shoeboxes order.
	Shoeboxes []FittedBackground
	// BoxFits are the goodness of fit of every box of Problem.Shoeboxes,
	// in its order (single-panel frames).
	BoxFits []BoxFit
	// FitSigmas is the goodness-of-fit bound the fit was judged by.
	FitSigmas float64
}
