package crystal_test

import (
	"fmt"
	"strings"

	"gobragg/crystal"
	"gobragg/dual"
)

// A cubic cell as "-cell 100 100 100 90 90 90" gives it, with the
// partial derivatives of a* with respect to the cell length a.
func ExampleBuildLattice() {
	deg := func(d float64) dual.Num { return dual.C(crystal.DegToRad(d)) }
	l, err := crystal.BuildLattice(crystal.CellInput{
		UserCell: true,
		A:        dual.Var(100, 0, 1), // seed a as variable 0
		B:        dual.C(100), C: dual.C(100),
		Alpha: deg(90), Beta: deg(90), Gamma: deg(90),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(l.Summary(), "\n")
	fmt.Println(strings.Join(lines[:3], "\n"))
	fmt.Printf("|a| = %.1f nm, d a*_x / d a = %.2g per Å^2\n", l.A.Norm().V*1e9, l.AStar[0].Grad(0))
	// Output:
	// Unit Cell: 100 100 100 90 90 90
	// Recp Cell: 0.01 0.01 0.01 90 90 90
	// volume = 1e+06 A^3
	// |a| = 10.0 nm, d a*_x / d a = -0.0001 per Å^2
}

// Reading an hkl list and looking structure factors up with nanoBragg's
// nearest-neighbour rule.
func ExampleNewFGrid() {
	text := "# h k l F\n0 0 0 100\n1 0 0 50\n0 1 -1 25\n"
	refl, err := crystal.ReadHKL(strings.NewReader(text), "example.hkl", crystal.HKLOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := crystal.NewFGrid(refl, 10)
	fmt.Println(len(refl), g.Lookup(1, 0, 0, 10), g.Lookup(1, 1, 0, 10), g.Lookup(5, 0, 0, 10))

	_, err = crystal.ReadHKL(strings.NewReader(text), "example.hkl", crystal.HKLOptions{CParity: true})
	fmt.Println(err)
	// Output:
	// 3 50 10 10
	// no reflections in example.hkl (the C-parity reader stops at the first token that is not a number, such as a '#' comment)
}
