//go:build mpi && cgo

package mpi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
)

// TestMPIOrderedSum runs itself under mpirun on 1, 2 and 4 ranks (the
// child processes see OMPI_COMM_WORLD_SIZE); every rank checks that
// OrderedSum over MPI gives the bits of the one-process sum.
func TestMPIOrderedSum(t *testing.T) {
	if os.Getenv("OMPI_COMM_WORLD_SIZE") != "" {
		mpiChild(t)
		return
	}
	mpirun, err := exec.LookPath("mpirun")
	if err != nil {
		t.Skip("mpirun not found: apt-get install openmpi-bin libopenmpi-dev")
	}
	for _, n := range []int{1, 2, 4} {
		cmd := exec.Command(mpirun, "--allow-run-as-root", "--oversubscribe", "-n", fmt.Sprint(n),
			os.Args[0], "-test.run", "^TestMPIOrderedSum$", "-test.count", "1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("mpirun -n %d: %v\n%s", n, err, out)
		}
	}
}

func mpiChild(t *testing.T) {
	c, err := World()
	if err != nil {
		t.Fatal(err)
	}
	defer Finalize()
	rng := rand.New(rand.NewPCG(3, 9))
	all := terms(rng, 23, 17)
	want := make([]float64, 17)
	if err := OrderedSum(Single{}, all, want); err != nil {
		t.Fatal(err)
	}
	first, end := Block(c, len(all))
	got := make([]float64, 17)
	if err := OrderedSum(c, all[first:end], got); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("rank %d of %d: element %d is %v, one process %v", c.Rank(), c.Size(), i, got[i], want[i])
		}
	}
}
