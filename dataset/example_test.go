package dataset_test

import (
	"fmt"

	"gobragg/dataset"
)

// The files and seeds of frames 9 and 10 of a sweep made with -seed 1.
func ExampleTemplate_Frame() {
	t, err := dataset.ParseTemplate("lyso/lyso_#####.img")
	if err != nil {
		panic(err)
	}
	for _, i := range []int{9, 10} {
		name, _ := t.Frame(i)
		fmt.Println(name, dataset.FrameSeed(1, i) > 0)
	}
	// Output:
	// lyso/lyso_00009.img true
	// lyso/lyso_00010.img true
}

// A sweep's frame i is the single-frame command line FrameArgs(i).
func ExampleSweep_FrameArgs() {
	sw, err := dataset.ParseSweep([]string{"-cell", "50", "60", "70", "90", "90", "90", "-default_F", "1",
		"-frames", "3", "-osc", "0.5", "-phi", "10", "-seed", "7", "-template", "out/f_###.img"})
	if err != nil {
		panic(err)
	}
	args, _ := sw.FrameArgs(3)
	fmt.Println(args[len(args)-8:])
	// Output:
	// [-phi 11 -osc 0.5 -seed 316054670 -noisefile out/f_003.img]
}
