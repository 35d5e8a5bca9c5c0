package crystal

import (
	"fmt"
	"strings"
)

// Summary returns the cell report nanoBragg prints after building the
// lattice, byte for byte: the "Unit Cell:", "Recp Cell:" and "volume ="
// lines (C's %g) and the real-space (Å) and reciprocal-space (1/Å) vector
// blocks (C's %11.8f), each line ending in a newline.
func (l Lattice) Summary() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Unit Cell: %s %s %s %s %s %s\n",
		cG(l.LengthsA[0].V), cG(l.LengthsA[1].V), cG(l.LengthsA[2].V),
		cG(RadToDeg(l.AnglesRad[0].V)), cG(RadToDeg(l.AnglesRad[1].V)), cG(RadToDeg(l.AnglesRad[2].V)))
	fmt.Fprintf(&sb, "Recp Cell: %s %s %s %s %s %s\n",
		cG(l.RecipLengthsInvA[0].V), cG(l.RecipLengthsInvA[1].V), cG(l.RecipLengthsInvA[2].V),
		cG(RadToDeg(l.RecipAnglesRad[0].V)), cG(RadToDeg(l.RecipAnglesRad[1].V)), cG(RadToDeg(l.RecipAnglesRad[2].V)))
	fmt.Fprintf(&sb, "volume = %s A^3\n", cG(l.VCellA3.V))
	a, b, c := l.VectorsA[0].Values(), l.VectorsA[1].Values(), l.VectorsA[2].Values()
	writeBlock(&sb, "real-space cell vectors (Angstrom):", [3]string{"a", "b", "c"}, a, b, c)
	writeBlock(&sb, "reciprocal-space cell vectors (Angstrom^-1):", [3]string{"a_star", "b_star", "c_star"},
		l.AStar.Values(), l.BStar.Values(), l.CStar.Values())
	return sb.String()
}

// writeBlock prints a title, a column header and the X, Y, Z rows of three
// vectors in nanoBragg's layout.
func writeBlock(sb *strings.Builder, title string, names [3]string, u, v, w [3]float64) {
	fmt.Fprintf(sb, "%s\n", title)
	fmt.Fprintf(sb, "     %-10s  %-10s  %-10s\n", names[0], names[1], names[2])
	for i, axis := range []string{"X", "Y", "Z"} {
		fmt.Fprintf(sb, "%s: %11.8f %11.8f %11.8f\n", axis, u[i], v[i], w[i])
	}
}
