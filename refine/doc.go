// Package refine fits experiment parameters to measured diffraction
// images by maximum likelihood, through the gobragg graph's exact
// gradients, in the style of gonum's optimize: a Problem (frames, the
// names to refine, the likelihood, restraints), Settings (stopping rules,
// progress) and a Method (any gonum optimize.Method; nil is L-BFGS) are
// separate values given to Refine.
//
// The data model is expected counts mu = scale * simulated photons +
// background per pixel; the losses are the Poisson negative
// log-likelihood sum(mu - y log mu), diffBragg's Gaussian one with
// variance mu + readout^2, or least squares (Poisson, Gaussian, LSQ:
// each a Likelihood, with its parameters, defined once per pixel, which the graph's loss
// (DataLoss), the Fisher information and the goodness of fit read).
// Parameters are named and measured in the units of
// the command-line options that set them (mm, degrees, Angstrom, cells):
// see Names and Unit. The optimiser sees normalised variables, one unit
// being a parameter's expected standard error at the start, mapped
// through an exponential or logistic where physics bounds the value.
//
// Standard errors come from the inverse of the Fisher information J^T W J
// at the optimum, with J the exact Jacobian d mu / d parameter
// (graph.Model.Jacobian), W the inverse variance of each pixel, and the
// restraints added; the Result names any parameter the data leave
// undetermined instead of giving it a meaningless error.
//
// Structure factors can be parameters too (FName, "F" in Problem.Names):
// every reflection of the table that the fitted pixels measure at
// I/sigma(I) >= MinFSignal, as F = exp(z), optionally restrained towards
// the geometric mean of its resolution bin (Problem.FRestraint); Result.F
// lists them with their Fisher standard errors, apart from the named
// parameters (see sfactors.go). So can backgrounds per shoebox
// (Problem.Background = ShoeboxBackground with Problem.Shoeboxes, e.g.
// DIALS's boxes from DIALSBoxes): one constant per box over the frames it
// spans, in Result.Shoeboxes (see boxbackground.go).
//
// A fit runs in stages from coarse to fine (Settings.Strategy, see
// DefaultStrategy): the geometry fitted to the centroids of the spots
// found on the data (package spots), pixel fits of groups of parameters, a
// grid search of the crystal size and random hops when the model does not
// fit. Result.Converged says whether the fit can be trusted: the last stage
// stopped at a minimum, no parameter is held at a bound, and the Poisson
// deviance (GoodnessOfFit) lies within Settings.FitSigmas of its
// expectation. Otherwise Result.Reason says why, and the sigmas are no
// standard errors.
//
// ReadImage reads SMV frames (undoing the ADC offset and gain), CBF
// and raw float images; ReadCalibrated adds a detector's Calibration
// (pedestal, trusted range, masked regions, mask), as a DIALS panel gives
// it. SelectSpots picks the shoebox pixels around the spots a
// starting model predicts, so that a large frame refines at the cost of
// its spots; DIALSShoeboxes takes DIALS's bounding boxes from a reflection
// table instead, and CompareDIALSCentroids compares a model's predicted
// centroids and DIALS's with DIALS's observed ones. WritePNG draws
// observed | model | residual and the loss curve.
package refine
