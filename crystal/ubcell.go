package crystal

import (
	"fmt"
	"math"

	"gobragg/dual"
)

// The cell of a crystal read as real-space vectors (an experiment list)
// becomes refinable as U B: B the real-space vectors of the cell constants
// in a standard frame (a along x, b in the xy plane), U the fixed rotation
// that takes B of the starting constants to the given vectors. The vectors
// used are A + U (B(cell) - B(cell0)), which at the starting constants is A
// itself, bit for bit, and moves with the constants as U B does.

// CellOf returns the cell constants of real-space vectors in Å: lengths
// in Å, angles in radians.
func CellOf(v [3][3]float64) [6]float64 {
	dot := func(x, y [3]float64) float64 { return x[0]*y[0] + x[1]*y[1] + x[2]*y[2] }
	var c [6]float64
	for i := range 3 {
		c[i] = math.Sqrt(dot(v[i], v[i]))
	}
	c[3] = math.Acos(dot(v[1], v[2]) / (c[1] * c[2]))
	c[4] = math.Acos(dot(v[0], v[2]) / (c[0] * c[2]))
	c[5] = math.Acos(dot(v[0], v[1]) / (c[0] * c[1]))
	return c
}

// standardCell returns the real-space vectors of cell constants (Å,
// radians) in the standard frame: a along x, b in the xy plane.
func standardCell(c [6]dual.Num) ([3]dual.Vec3, error) {
	ca, cb, cg := dual.Cos(c[3]), dual.Cos(c[4]), dual.Cos(c[5])
	sg := dual.Sin(c[5])
	// c_y = c (cos alpha - cos beta cos gamma) / sin gamma
	cy := dual.Div(dual.Sub(ca, dual.Mul(cb, cg)), sg)
	cz2 := dual.Sub(dual.Sub(dual.C(1), dual.Mul(cb, cb)), dual.Mul(cy, cy))
	if !(cz2.V > 0) || !(sg.V > 0) {
		return [3]dual.Vec3{}, fmt.Errorf("%w: the angles %g %g %g degrees close no cell", ErrCell,
			c[3].V*180/math.Pi, c[4].V*180/math.Pi, c[5].V*180/math.Pi)
	}
	cz := dual.Sqrt(cz2)
	zero := dual.C(0)
	return [3]dual.Vec3{
		{c[0], zero, zero},
		{dual.Mul(c[1], cg), dual.Mul(c[1], sg), zero},
		{dual.Mul(c[2], cb), dual.Mul(c[2], cy), dual.Mul(c[2], cz)},
	}, nil
}

// ubVectors returns the real-space vectors of in.RealA moved to the cell
// constants in.RealCell (see the comment above).
func ubVectors(in CellInput) ([3]dual.Vec3, error) {
	var a0 [3][3]float64
	for i, v := range in.RealA {
		a0[i] = v.Values()
	}
	start := CellOf(a0)
	var c0 [6]dual.Num
	for i, v := range start {
		c0[i] = dual.C(v)
	}
	b0, err := standardCell(c0)
	if err != nil {
		return [3]dual.Vec3{}, err
	}
	b, err := standardCell(*in.RealCell)
	if err != nil {
		return [3]dual.Vec3{}, err
	}
	// U = A0 B0^-1 with the vectors as columns: rows of U are solved from
	// the lower-triangular B0 (its vectors' components, transposed).
	var m0 [3][3]float64 // m0[i] = components of the standard vector i
	for i := range 3 {
		m0[i] = b0[i].Values()
	}
	u, err := rotationFrom(m0, a0)
	if err != nil {
		return [3]dual.Vec3{}, err
	}
	var out [3]dual.Vec3
	for i := range 3 {
		d := b[i].Sub(b0[i])
		var moved dual.Vec3
		for r := range 3 {
			moved[r] = dual.Add(dual.Add(dual.Scale(u[r][0], d[0]), dual.Scale(u[r][1], d[1])), dual.Scale(u[r][2], d[2]))
		}
		out[i] = in.RealA[i].Add(moved)
	}
	return out, nil
}

// rotationFrom returns U with U std[i] = real[i] for the three vectors
// (U = R S^-1, the vectors as the columns of S and R).
func rotationFrom(std, real [3][3]float64) ([3][3]float64, error) {
	// S has columns std[i]; invert it by the adjugate.
	var s [3][3]float64
	for i := range 3 {
		for r := range 3 {
			s[r][i] = std[i][r]
		}
	}
	det := s[0][0]*(s[1][1]*s[2][2]-s[1][2]*s[2][1]) - s[0][1]*(s[1][0]*s[2][2]-s[1][2]*s[2][0]) + s[0][2]*(s[1][0]*s[2][1]-s[1][1]*s[2][0])
	if !(math.Abs(det) > 0) {
		return [3][3]float64{}, fmt.Errorf("%w: the cell is flat", ErrCell)
	}
	var inv [3][3]float64
	for r := range 3 {
		for c := range 3 {
			r1, r2 := (c+1)%3, (c+2)%3
			c1, c2 := (r+1)%3, (r+2)%3
			inv[r][c] = (s[r1][c1]*s[r2][c2] - s[r1][c2]*s[r2][c1]) / det
		}
	}
	var u [3][3]float64
	for r := range 3 {
		for c := range 3 {
			for k := range 3 {
				u[r][c] += real[k][r] * inv[k][c]
			}
		}
	}
	return u, nil
}
