package mpi

import "fmt"

// Local returns n ranks of one process joined by channels, for tests of
// distributed code without MPI: run each rank's code on its own goroutine.
func Local(n int) []Comm {
	net := &localNet{n: n, links: make([]chan []float64, n*n), bcast: make([]chan []float64, n*n)}
	for i := range net.links {
		net.links[i] = make(chan []float64, 1)
	}
	for i := range net.bcast {
		net.bcast[i] = make(chan []float64, 1)
	}
	out := make([]Comm, n)
	for r := range out {
		out[r] = &localRank{net: net, rank: r}
	}
	return out
}

type localNet struct {
	n     int
	links []chan []float64 // src*n + dst
	// bcast is one channel per root and receiver (root*n + receiver): as
	// in MPI, broadcasts from different roots never take each other's place.
	bcast []chan []float64
}

type localRank struct {
	net  *localNet
	rank int
}

func (l *localRank) Rank() int { return l.rank }
func (l *localRank) Size() int { return l.net.n }

func (l *localRank) check(peer int) error {
	if peer < 0 || peer >= l.net.n || peer == l.rank {
		return fmt.Errorf("mpi: rank %d: no peer %d among %d ranks", l.rank, peer, l.net.n)
	}
	return nil
}

func (l *localRank) Send(dst int, buf []float64) error {
	if err := l.check(dst); err != nil {
		return err
	}
	l.net.links[l.rank*l.net.n+dst] <- append([]float64(nil), buf...)
	return nil
}

func (l *localRank) Recv(src int, buf []float64) error {
	if err := l.check(src); err != nil {
		return err
	}
	v := <-l.net.links[src*l.net.n+l.rank]
	if len(v) != len(buf) {
		return fmt.Errorf("mpi: rank %d: %d values from rank %d, want %d", l.rank, len(v), src, len(buf))
	}
	copy(buf, v)
	return nil
}

func (l *localRank) Bcast(root int, buf []float64) error {
	if root < 0 || root >= l.net.n {
		return fmt.Errorf("mpi: rank %d: broadcast from rank %d of %d", l.rank, root, l.net.n)
	}
	if l.rank == root {
		for r := range l.net.n {
			if r != root {
				l.net.bcast[root*l.net.n+r] <- append([]float64(nil), buf...)
			}
		}
		return nil
	}
	v := <-l.net.bcast[root*l.net.n+l.rank]
	if len(v) != len(buf) {
		return fmt.Errorf("mpi: rank %d: broadcast of %d values, want %d", l.rank, len(v), len(buf))
	}
	copy(buf, v)
	return nil
}
