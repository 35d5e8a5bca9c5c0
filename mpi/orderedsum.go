package mpi

import "fmt"

// Term is one item's contribution to an ordered sum: values at indices
// (sparse) or, when Index is nil, a dense vector of the sum's length.
type Term struct {
	Index []int
	Value []float64
}

// OrderedSum adds the terms of every rank into out on every rank, in the
// global order of the items: rank 0's terms in order, then rank 1's, and
// so on, with rank r's terms being items Block(c, n) of n. Floating-point
// addition is not associative, so the order is what makes the result the
// bits of one process's sum over all items, whatever the number of ranks.
// The running sum passes from rank to rank (a chain of Size()-1 messages
// of len(out) values), then rank Size()-1 broadcasts it. out is
// overwritten; its length must agree on every rank.
func OrderedSum(c Comm, terms []Term, out []float64) error {
	clear(out)
	r, p := c.Rank(), c.Size()
	if r > 0 {
		if err := c.Recv(r-1, out); err != nil {
			return fmt.Errorf("mpi: ordered sum: %w", err)
		}
	}
	for k, t := range terms {
		if t.Index == nil {
			if len(t.Value) != len(out) {
				return fmt.Errorf("mpi: ordered sum: term %d has %d values, the sum %d", k, len(t.Value), len(out))
			}
			for i, v := range t.Value {
				out[i] += v
			}
			continue
		}
		if len(t.Index) != len(t.Value) {
			return fmt.Errorf("mpi: ordered sum: term %d has %d indices and %d values", k, len(t.Index), len(t.Value))
		}
		for j, i := range t.Index {
			if i < 0 || i >= len(out) {
				return fmt.Errorf("mpi: ordered sum: term %d index %d is outside 0..%d", k, i, len(out)-1)
			}
			out[i] += t.Value[j]
		}
	}
	if r < p-1 {
		if err := c.Send(r+1, out); err != nil {
			return fmt.Errorf("mpi: ordered sum: %w", err)
		}
	}
	if err := c.Bcast(p-1, out); err != nil {
		return fmt.Errorf("mpi: ordered sum: %w", err)
	}
	return nil
}
