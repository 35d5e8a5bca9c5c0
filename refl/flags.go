package refl

// Flag is a bit of a reflection's "flags" column, as DIALS defines them
// (dials/array_family/reflection_table.h).
type Flag uint64

// The flags gobragg reads.
const (
	Predicted        Flag = 1 << 0
	Observed         Flag = 1 << 1
	Indexed          Flag = 1 << 2
	UsedInRefinement Flag = 1 << 3
	Strong           Flag = 1 << 5
	IntegratedSum    Flag = 1 << 8
	IntegratedPrf    Flag = 1 << 9
	Overloaded       Flag = 1 << 10
)

// Has reports whether row i carries flag f.
func (t *Table) Has(i int, f Flag) bool { return Flag(t.Flags[i])&f == f }
