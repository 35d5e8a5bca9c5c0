package mpi

import "fmt"

// Comm is a group of ranks 0..Size()-1, one of which is this one. Send
// and Recv pair up in order between two ranks; Bcast must be called by
// every rank with buffers of one length.
type Comm interface {
	Rank() int
	Size() int
	// Send sends buf to rank dst; Recv fills buf from rank src.
	Send(dst int, buf []float64) error
	Recv(src int, buf []float64) error
	// Bcast copies root's buf into every rank's buf.
	Bcast(root int, buf []float64) error
}

// Single is the communicator of one process: rank 0 of 1.
type Single struct{}

func (Single) Rank() int { return 0 }
func (Single) Size() int { return 1 }
func (Single) Send(dst int, buf []float64) error {
	return fmt.Errorf("mpi: send to rank %d of a single process", dst)
}
func (Single) Recv(src int, buf []float64) error {
	return fmt.Errorf("mpi: receive from rank %d of a single process", src)
}
func (Single) Bcast(root int, buf []float64) error {
	if root != 0 {
		return fmt.Errorf("mpi: broadcast from rank %d of a single process", root)
	}
	return nil
}

// Block returns the half-open range [first, end) of n items that rank
// owns when n items are split into Size() contiguous blocks in rank
// order, the first n % Size() blocks one item longer.
func Block(c Comm, n int) (first, end int) {
	p, r := c.Size(), c.Rank()
	q, extra := n/p, n%p
	first = r*q + min(r, extra)
	end = first + q
	if r < extra {
		end++
	}
	return first, end
}
