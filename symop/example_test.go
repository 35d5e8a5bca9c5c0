package symop_test

import (
	"fmt"
	"strings"

	"gobragg/symop"
)

// P 41 21 2 (thaumatin's space group) as gemmi prints its operators.
func ExampleGroup_ASU() {
	ops := "x,y,z\n-y+1/2,x+1/2,z+1/4\n-x,-y,z+1/2\ny+1/2,-x+1/2,z+3/4\n" +
		"x+1/2,-y+1/2,-z+3/4\n-y,-x,-z+1/2\n-x+1/2,y+1/2,-z+1/4\ny,x,-z\n"
	g, err := symop.ReadGroup(strings.NewReader(ops), "P41212.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.ASU([3]int{-2, 5, -3}, false), g.ASU([3]int{-2, 5, -3}, true))
	// Output: [5 2 3] [5 -2 3]
}
