// Package mpi is the message passing gobragg's distributed commands use:
// a Comm of ranks that send, receive and broadcast float64 slices, and
// OrderedSum, a reduction whose result has the bits of a sum on one
// process whatever the number of ranks.
//
// Built with the "mpi" tag (and cgo, OpenMPI's libopenmpi-dev) World is the
// MPI_COMM_WORLD of a job started by mpirun or srun; without it World is a
// single rank, so the same code runs on one process and the rest of
// gobragg never needs cgo. Local(n) gives n ranks in one process, joined
// by channels, for tests.
package mpi
