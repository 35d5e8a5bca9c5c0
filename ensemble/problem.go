package ensemble

import (
	"time"

	"gobragg/mpi"
)

// Problem is what an ensemble refinement fits: this rank's shots (block
// mpi.Block(comm, NShots) of the global list, in order) and the table of
// structure-factor parameters, the same on every rank.
type Problem struct {
	Shots  []*Shot
	NShots int
	Table  *Table
	// Start are the starting amplitudes of the parameters (nil: Table.F0).
	Start []float64
	// RestraintSigma, when positive, restrains each ln F towards the mean
	// ln F of its resolution bin with this standard deviation.
	RestraintSigma float64
	// Bins is the number of resolution bins of the restraint and the report
	// (0: DefaultBins).
	Bins int
}

// DefaultBins is the number of resolution bins when Problem.Bins is 0.
const DefaultBins = 10

// Settings control the optimiser, its checkpoints and its report.
type Settings struct {
	Comm mpi.Comm // nil: a single process
	// MaxIterations bounds the L-BFGS iterations over all epochs (0: 500).
	MaxIterations int
	// EpochIterations is the iterations of one epoch: a fresh L-BFGS
	// that ends with a checkpoint (0: 20).
	EpochIterations int
	// GradientThreshold stops when the largest derivative of the loss with
	// respect to a normalised parameter (one unit = its standard error at
	// the start) is below it (0: 1e-3).
	GradientThreshold float64
	// Checkpoint, if set, is the file the state is written to atomically
	// after every epoch; Resume continues from it.
	Checkpoint string
	Resume     bool
	// Fingerprint identifies the inputs (the command line); a checkpoint
	// of other inputs is refused on resume.
	Fingerprint string
	// Progress, if set, is called on rank 0 after every epoch.
	Progress func(Epoch)
}

// Epoch is one line of progress.
type Epoch struct {
	Epoch, Iterations int
	Loss              float64
	Status            string
	Elapsed           time.Duration
}

// Result is the refined table (on rank 0; other ranks get Converged and
// Reason only).
type Result struct {
	Converged bool
	Reason    string
	// F and Sigma are the refined amplitudes and their standard errors,
	// one per table parameter; Measured says which the shots measure
	// (the others keep their start and have no sigma).
	F, Sigma   []float64
	Measured   []bool
	Loss       float64
	Iterations int
	Epochs     int
	Resumed    int // the epoch a resumed run started after (0: none)
}
