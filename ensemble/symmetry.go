package ensemble

// Symmetry maps a reflection to the representative its symmetry
// equivalents share: one structure-factor parameter per representative.
type Symmetry interface {
	Reduce(h, k, l int) [3]int
}

// Friedel is P1: a reflection is its own representative, or with
// Anomalous false it shares one with its Friedel mate (-h, -k, -l): the
// larger of the two in (h, k, l) order.
type Friedel struct{ Anomalous bool }

func (f Friedel) Reduce(h, k, l int) [3]int {
	a, b := [3]int{h, k, l}, [3]int{-h, -k, -l}
	if f.Anomalous || !less(a, b) {
		return a
	}
	return b
}

// less orders Miller indices lexicographically.
func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
