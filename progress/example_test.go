package progress_test

import (
	"os"

	"gobragg/progress"
)

// A computation of 40 units reports its progress as nanoBragg's lines (as
// it does on a log that is not a terminal).
func Example() {
	m := progress.NewLines(os.Stdout, 40)
	for done := 1; done <= 40; done++ {
		m.Update(done)
	}
	m.Finish()
	// Output:
	// 0% done
	// 2% done
	// 5% done
	// 7% done
	// 10% done
	// 15% done
	// 20% done
	// 25% done
	// 30% done
	// 35% done
	// 40% done
	// 45% done
	// 50% done
	// 55% done
	// 60% done
	// 65% done
	// 70% done
	// 75% done
	// 80% done
	// 85% done
	// 90% done
	// 92% done
	// 95% done
	// 97% done
	// 100% done
}
