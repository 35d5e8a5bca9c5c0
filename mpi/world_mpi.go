//go:build mpi && cgo

package mpi

/*
#cgo pkg-config: ompi
#include <stdlib.h>
#include <mpi.h>

static int gobragg_init(void) {
	int done = 0;
	MPI_Initialized(&done);
	if (done) return MPI_SUCCESS;
	int rc = MPI_Init(NULL, NULL);
	if (rc != MPI_SUCCESS) return rc;
	// Errors come back to Go, which reports them and exits, instead of an abort.
	return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}
static int gobragg_rank(int *r) { return MPI_Comm_rank(MPI_COMM_WORLD, r); }
static int gobragg_size(int *n) { return MPI_Comm_size(MPI_COMM_WORLD, n); }
static int gobragg_send(double *buf, int n, int dst) {
	return MPI_Send(buf, n, MPI_DOUBLE, dst, 0, MPI_COMM_WORLD);
}
static int gobragg_recv(double *buf, int n, int src, int *got) {
	MPI_Status st;
	int rc = MPI_Recv(buf, n, MPI_DOUBLE, src, 0, MPI_COMM_WORLD, &st);
	if (rc != MPI_SUCCESS) return rc;
	return MPI_Get_count(&st, MPI_DOUBLE, got);
}
static int gobragg_bcast(double *buf, int n, int root) {
	return MPI_Bcast(buf, n, MPI_DOUBLE, root, MPI_COMM_WORLD);
}
static int gobragg_finalize(void) { return MPI_Finalize(); }
static int gobragg_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }
static void gobragg_errstr(int rc, char *buf, int *n) { MPI_Error_string(rc, buf, n); }
*/
import "C"

import (
	"fmt"
	"math"
	"unsafe"
)

// Built is true when this binary talks MPI.
const Built = true

type world struct{ rank, size int }

// World initialises MPI (once) and returns MPI_COMM_WORLD.
func World() (Comm, error) {
	if rc := C.gobragg_init(); rc != C.MPI_SUCCESS {
		return nil, mpiError("MPI_Init", rc)
	}
	var r, n C.int
	if rc := C.gobragg_rank(&r); rc != C.MPI_SUCCESS {
		return nil, mpiError("MPI_Comm_rank", rc)
	}
	if rc := C.gobragg_size(&n); rc != C.MPI_SUCCESS {
		return nil, mpiError("MPI_Comm_size", rc)
	}
	return &world{rank: int(r), size: int(n)}, nil
}

// Finalize ends MPI; call it once, after the last message, on every rank.
func Finalize() error {
	if rc := C.gobragg_finalize(); rc != C.MPI_SUCCESS {
		return mpiError("MPI_Finalize", rc)
	}
	return nil
}

// Abort stops every rank of the job with the exit code.
func Abort(code int) { C.gobragg_abort(C.int(code)) }

func mpiError(call string, rc C.int) error {
	buf := make([]byte, C.MPI_MAX_ERROR_STRING)
	var n C.int
	C.gobragg_errstr(rc, (*C.char)(unsafe.Pointer(&buf[0])), &n)
	return fmt.Errorf("mpi: %s: %s", call, string(buf[:n]))
}

func (w *world) Rank() int { return w.rank }
func (w *world) Size() int { return w.size }

// ptr returns C's view of buf (a dummy for an empty one).
func ptr(buf []float64) *C.double {
	if len(buf) == 0 {
		var dummy float64
		return (*C.double)(unsafe.Pointer(&dummy))
	}
	return (*C.double)(unsafe.Pointer(&buf[0]))
}

func count(buf []float64) (C.int, error) {
	if len(buf) > math.MaxInt32 {
		return 0, fmt.Errorf("mpi: a message of %d values is longer than MPI's int count", len(buf))
	}
	return C.int(len(buf)), nil
}

func (w *world) Send(dst int, buf []float64) error {
	n, err := count(buf)
	if err != nil {
		return err
	}
	if rc := C.gobragg_send(ptr(buf), n, C.int(dst)); rc != C.MPI_SUCCESS {
		return mpiError(fmt.Sprintf("send from rank %d to rank %d", w.rank, dst), rc)
	}
	return nil
}

func (w *world) Recv(src int, buf []float64) error {
	n, err := count(buf)
	if err != nil {
		return err
	}
	var got C.int
	if rc := C.gobragg_recv(ptr(buf), n, C.int(src), &got); rc != C.MPI_SUCCESS {
		return mpiError(fmt.Sprintf("rank %d receiving from rank %d", w.rank, src), rc)
	}
	if got != n {
		return fmt.Errorf("mpi: rank %d received %d values from rank %d, want %d", w.rank, got, src, n)
	}
	return nil
}

func (w *world) Bcast(root int, buf []float64) error {
	n, err := count(buf)
	if err != nil {
		return err
	}
	if rc := C.gobragg_bcast(ptr(buf), n, C.int(root)); rc != C.MPI_SUCCESS {
		return mpiError(fmt.Sprintf("broadcast from rank %d", root), rc)
	}
	return nil
}
