//go:build !(mpi && cgo)

package mpi

// Built is false: this binary has no MPI (build with -tags mpi and cgo).
const Built = false

// World returns the single process: without MPI every run is one rank.
func World() (Comm, error) { return Single{}, nil }

// Finalize does nothing without MPI.
func Finalize() error { return nil }

// Abort does nothing without MPI: the caller exits with its own code.
func Abort(code int) {}
