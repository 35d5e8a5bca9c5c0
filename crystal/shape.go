package crystal

// Shape is the crystal shape that selects the lattice transform F_latt.
type Shape int

const (
	// Square is a parallelepiped: F_latt = sincg(pi h, Na) sincg(pi k, Nb) sincg(pi l, Nc).
	Square Shape = iota
	// Round is an ellipsoid: F_latt from sinc3 of the fractional-index radius.
	Round
	// Gauss is a Gaussian spot in reciprocal space (no inter-Bragg maxima).
	Gauss
	// Tophat is a flat-topped spot of the same height and volume as Square.
	Tophat
	// GaussHKL is a Gaussian spot in fractional Miller indices, 1/Na, 1/Nb
	// and 1/Nc of an index wide along a*, b*, c* (spec mode only).
	GaussHKL
)

// String returns nanoBragg's word for the shape ("parallelpiped", ...).
func (s Shape) String() string {
	switch s {
	case Round:
		return "ellipsoidal"
	case Gauss:
		return "gaussian"
	case Tophat:
		return "tophat-spot"
	case GaussHKL:
		return "gaussian-hkl"
	}
	return "parallelpiped"
}
