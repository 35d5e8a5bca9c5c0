package tracediff_test

import (
	"fmt"
	"strings"

	"gobragg/tracediff"
)

func ExampleCompare() {
	cLog := `TRACE_C: hkl_frac -0.00995340449723171 -1.00015256741723 -0.995126459840814
TRACE_C: F_latt 124.394815540063
TRACE_C_PHI phi_tic=0 phi_deg=0 k_frac=-1.00015256741723 F_latt=124.394815540063
`
	goLog := `TRACE_GO: hkl_frac -0.00995340449723171 -1.00015256741723 -0.995126459840814
TRACE_GO: F_latt 124.394940000000
TRACE_GO_PHI phi_tic=0 phi_deg=0 k_frac=-1.00015256741723 F_latt=124.394815540063
TRACE_GO: phi0_carryover 1
`
	a, _ := tracediff.Parse(strings.NewReader(cLog), "c.log", tracediff.FamilyC)
	b, _ := tracediff.Parse(strings.NewReader(goLog), "go.log", tracediff.FamilyGo)
	res, _ := tracediff.Compare(a, b, tracediff.DefaultTol)
	for _, d := range res.Diffs {
		fmt.Printf("%s #%d value %d: C=%s GO=%s rel=%.2e\n", d.Name, d.Occurrence, d.Index, d.A, d.B, d.RelErr)
	}
	fmt.Println("only in GO:", res.OnlyB[0].Name, "differ:", res.Differ())
	// Output:
	// F_latt #1 value 0: C=124.394815540063 GO=124.394940000000 rel=1.00e-06
	// only in GO: phi0_carryover differ: true
}
