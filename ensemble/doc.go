// Package ensemble refines one table of structure-factor amplitudes
// against the shoebox pixels of many shots, each with its own fixed model
// (as a per-shot refinement leaves it): diffBragg's ensemble step.
//
// The parameters are ln |F| of the symmetry-unique reflections the shots
// measure (a Symmetry maps each reflection to the one its equivalents
// share). The loss is the Poisson negative log-likelihood of every shot's
// counts, mu = scale * simulated photons + background, plus an optional
// Gaussian restraint of each ln F towards the mean ln F of its resolution
// bin. Each rank of an mpi.Comm owns a contiguous block of the shots;
// the loss and its gradient are summed with mpi.OrderedSum in shot order,
// so 1, 2 or 4 ranks give the same bits. Rank 0 runs gonum's L-BFGS in
// epochs of Settings.EpochIterations iterations, each epoch starting a
// fresh L-BFGS from where the last one stopped and ending with a
// checkpoint: a run resumed from any checkpoint retraces the uninterrupted
// run exactly. Standard errors come from the diagonal of the Fisher
// information at the optimum (the F of different reflections couple only
// where their spots overlap).
package ensemble
