package mtz_test

import (
	"bytes"
	"fmt"
	"strings"

	"gobragg/mtz"
	"gobragg/symop"
)

func ExampleWrite() {
	g, err := symop.ReadGroup(strings.NewReader("x,y,z\n-x+1/2,-y,z+1/2\nx+1/2,-y+1/2,-z\n-x,y+1/2,-z+1/2\n"), "P212121")
	if err != nil {
		fmt.Println(err)
		return
	}
	f := mtz.File{Cell: [6]float64{5.428, 8.141, 12.038, 90, 90, 90}, SpaceGroup: "P 21 21 21", SpaceGroupNumber: 19,
		Group: g, Reflections: []mtz.Reflection{{H: 1, K: 0, L: 0, F: 12.5, SigF: 0.25}, {H: 1, K: 2, L: 3, F: 40, SigF: 1}}}
	var b bytes.Buffer
	if err := mtz.Write(&b, f); err != nil {
		fmt.Println(err)
		return
	}
	back, err := mtz.Decode(b.Bytes(), "l-cysteine.mtz")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.SpaceGroup, back.SpaceGroupNumber, len(back.Group.Ops), back.Reflections[1])
	// Output: P 21 21 21 19 4 {1 2 3 40 1}
}
