package gradcheck_test

import (
	"fmt"
	"os"

	"gobragg/config"
	"gobragg/gradcheck"
	"gobragg/sim"
)

// ExampleCheck checks three parameters of a small simulation against
// central differences. Report.String prints the full table: analytic and
// numeric derivative, relative error, step and the worst pixel.
func ExampleCheck() {
	s, err := config.Parse([]string{"-mode", "spec",
		"-cell", "70", "80", "90", "75", "85", "95", "-misset", "10", "20", "30",
		"-default_F", "100", "-N", "5", "-lambda", "1", "-distance", "100",
		"-pixel", "0.4", "-detpixels", "12", "-oversample", "1", "-polar", "0.9"})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := os.MkdirTemp("", "gradcheck-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(out)
	p, err := sim.Prepare(s, sim.Dirs{OutputDir: out})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := gradcheck.Check(gradcheck.NewProblem(p), []string{"cell_a", "misset_z", "fudge"}, gradcheck.Settings{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Results {
		fmt.Printf("%-9s pass %v, relative error below 1e-4: %v, zero derivative: %v\n", r.Name, r.Pass, r.RelErr <= 1e-4, r.Zero)
	}
	// Output:
	// cell_a    pass true, relative error below 1e-4: true, zero derivative: false
	// misset_z  pass true, relative error below 1e-4: true, zero derivative: false
	// fudge     pass true, relative error below 1e-4: true, zero derivative: true
}
