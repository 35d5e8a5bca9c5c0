package crystal

import (
	"errors"
	"fmt"
	"math"

	"gobragg/dual"
)

// CellInput is what nanoBragg knows about the cell when it builds the
// lattice. Numbers are dual so that a caller can seed any of them.
type CellInput struct {
	// UserCell is true when a direct cell was given (-cell).
	UserCell bool
	// A, B, C are the cell lengths in Å and Alpha, Beta, Gamma the angles in
	// radians, as parsed (see DegToRad). A value <= 0 means unset: B and C
	// default to A and the angles to 90 degrees, as in nanoBragg.
	A, B, C, Alpha, Beta, Gamma dual.Num
	// Mat is the MOSFLM A matrix as read by ReadMat (row i holds a*_i, b*_i,
	// c*_i, in 1/Å times wavelength in Å), or nil when there is none. When
	// both Mat and UserCell are given, Mat sets the orientation and the user
	// cell rescales the lengths, as in nanoBragg.
	Mat *[9]dual.Num
	// LambdaM is the wavelength in metres; it is used only to remove the
	// wavelength from Mat.
	LambdaM dual.Num
	// Misset holds rotations about x, y and z in radians applied to the
	// reciprocal vectors, or nil for none. (-misset random is resolved by the
	// caller into angles.)
	Misset *[3]dual.Num
	// RealA, when not nil, gives the real-space vectors a, b, c in Å
	// directly (a crystal read from a DIALS experiment list); the cell,
	// A matrix and misset must then be unset. The lattice keeps them as
	// they are (VectorsA) and derives everything else from them.
	RealA *[3]dual.Vec3
	// RealCell, with RealA, are cell constants (a, b, c in Å, alpha,
	// beta, gamma in radians) that move the vectors as U B does (see
	// ubcell.go); at RealA's own constants the vectors are RealA exactly.
	RealCell *[6]dual.Num
}

// Lattice is the crystal cell at phi = 0 without mosaic rotation.
type Lattice struct {
	// A, B, C are the real-space cell vectors in metres (nanoBragg's a0,
	// b0, c0), the vectors that are dotted with the scattering vector.
	A, B, C dual.Vec3
	// AStar, BStar, CStar are the reciprocal vectors in 1/Å as nanoBragg
	// keeps them: re-generated from the real-space vectors.
	AStar, BStar, CStar dual.Vec3
	// VCellA3 is the cell volume in Å^3.
	VCellA3 dual.Num

	// VectorsA holds a, b, c in Å before the conversion to metres (the
	// numbers nanoBragg prints).
	VectorsA [3]dual.Vec3
	// LengthsA holds |a|, |b|, |c| in Å.
	LengthsA [3]dual.Num
	// AnglesRad holds alpha, beta, gamma in radians, derived from the vectors.
	AnglesRad [3]dual.Num
	// RecipLengthsInvA holds |a*|, |b*|, |c*| in 1/Å.
	RecipLengthsInvA [3]dual.Num
	// RecipAnglesRad holds alpha*, beta*, gamma* in radians.
	RecipAnglesRad [3]dual.Num
}

// ErrCell is wrapped by every error BuildLattice returns for an impossible
// or missing cell.
var ErrCell = errors.New("crystal: bad unit cell")

// BuildLattice builds the lattice from in with nanoBragg's sequence: user
// cell -> volume from the skew formula -> reciprocal lengths and angles ->
// default orientation (a* along x, b* in the x-y plane); then the A matrix
// replaces a*, b*, c* (scaled by 1e-10/lambda); then the misset rotation;
// then real-space vectors from cross products (rescaled to the user cell
// lengths when a cell was given); then reciprocal vectors re-generated from
// the real-space ones and cell angles from both (sines and cosines clamped
// to [-1, 1], angles by atan2).
//
// nanoBragg warns about an impossible cell and goes on with nonsense; here
// a NaN or infinite input, a non-positive length, angles that cannot close
// a cell (or only a flat one: volume below 1e-6 of a*b*c), a singular or
// left-handed A matrix, or a non-positive wavelength with -mat are errors
// (wrapping ErrCell) that name the values.
func BuildLattice(in CellInput) (Lattice, error) {
	if in.RealA != nil {
		return realLattice(in)
	}
	if !in.UserCell && in.Mat == nil {
		return Lattice{}, fmt.Errorf("%w: need a direct cell (-cell) or an A matrix (-mat)", ErrCell)
	}
	var aStar, bStar, cStar dual.Vec3
	var lenA, lenB, lenC, vCellUser dual.Num

	if in.UserCell {
		var err error
		if lenA, lenB, lenC, vCellUser, aStar, bStar, cStar, err = userCell(in); err != nil {
			return Lattice{}, err
		}
	}

	if in.Mat != nil {
		m := in.Mat
		for i, x := range m {
			if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
				return Lattice{}, fmt.Errorf("%w: A matrix entry %d (row %d, column %d) is %g", ErrCell, i+1, i/3+1, i%3+1, x.V)
			}
		}
		if !(in.LambdaM.V > 0) || math.IsInf(in.LambdaM.V, 0) {
			return Lattice{}, fmt.Errorf("%w: wavelength %g m cannot scale the A matrix", ErrCell, in.LambdaM.V)
		}
		s := dual.Div(dual.C(1e-10), in.LambdaM)
		aStar = dual.Vec3{m[0], m[3], m[6]}.Scale(s)
		bStar = dual.Vec3{m[1], m[4], m[7]}.Scale(s)
		cStar = dual.Vec3{m[2], m[5], m[8]}.Scale(s)
	}

	if in.Misset != nil {
		ms := in.Misset
		for i, x := range ms {
			if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
				return Lattice{}, fmt.Errorf("%w: misset angle %c is %g", ErrCell, "xyz"[i], x.V)
			}
		}
		aStar = aStar.RotateXYZ(ms[0], ms[1], ms[2])
		bStar = bStar.RotateXYZ(ms[0], ms[1], ms[2])
		cStar = cStar.RotateXYZ(ms[0], ms[1], ms[2])
	}

	aStarCrossBStar := aStar.Cross(bStar)
	bStarCrossCStar := bStar.Cross(cStar)
	cStarCrossAStar := cStar.Cross(aStar)
	vStar := aStar.Dot(bStarCrossCStar)

	if in.UserCell {
		// force |b* x c*| = a/V_cell etc. so the user's lengths take
		bStarCrossCStar = bStarCrossCStar.Rescale(dual.Div(lenA, vCellUser))
		cStarCrossAStar = cStarCrossAStar.Rescale(dual.Div(lenB, vCellUser))
		aStarCrossBStar = aStarCrossBStar.Rescale(dual.Div(lenC, vCellUser))
		vStar = dual.Div(dual.C(1), vCellUser)
	}
	vCell := dual.Div(dual.C(1), vStar)
	if !(vCell.V > 0) || math.IsInf(vCell.V, 0) {
		return Lattice{}, fmt.Errorf("%w: reciprocal vectors a*=%v b*=%v c*=%v (1/Å) give cell volume %g Å^3: the A matrix is singular or left-handed",
			ErrCell, aStar.Values(), bStar.Values(), cStar.Values(), vCell.V)
	}

	a := bStarCrossCStar.Scale(vCell)
	b := cStarCrossAStar.Scale(vCell)
	c := aStarCrossBStar.Scale(vCell)
	return finishLattice(a, b, c, vCell, vStar), nil
}

// realLattice builds the lattice from real-space vectors given in Å.
func realLattice(in CellInput) (Lattice, error) {
	if in.UserCell || in.Mat != nil {
		return Lattice{}, fmt.Errorf("%w: real-space vectors cannot be combined with a cell or an A matrix", ErrCell)
	}
	a, b, c := in.RealA[0], in.RealA[1], in.RealA[2]
	if in.RealCell != nil {
		v, err := ubVectors(in)
		if err != nil {
			return Lattice{}, err
		}
		a, b, c = v[0], v[1], v[2]
	}
	if ms := in.Misset; ms != nil {
		// The misset turns the crystal as a whole (refinement of an
		// experiment list's orientation); zero angles leave it bit for bit.
		for i, x := range ms {
			if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
				return Lattice{}, fmt.Errorf("%w: misset angle %c is %g", ErrCell, "xyz"[i], x.V)
			}
		}
		a, b, c = a.RotateXYZ(ms[0], ms[1], ms[2]), b.RotateXYZ(ms[0], ms[1], ms[2]), c.RotateXYZ(ms[0], ms[1], ms[2])
	}
	for i, v := range in.RealA {
		for _, x := range v {
			if math.IsNaN(x.V) || math.IsInf(x.V, 0) {
				return Lattice{}, fmt.Errorf("%w: real-space vector %c = %v Å is not finite", ErrCell, "abc"[i], v.Values())
			}
		}
	}
	vCell := a.Dot(b.Cross(c))
	a0, b0, c0 := a.Norm().V, b.Norm().V, c.Norm().V
	if !(vCell.V > MinFlatness*a0*b0*c0) || math.IsInf(vCell.V, 0) {
		return Lattice{}, fmt.Errorf("%w: real-space vectors a=%v b=%v c=%v (Å) give cell volume %g Å^3: they are coplanar or left-handed",
			ErrCell, a.Values(), b.Values(), c.Values(), vCell.V)
	}
	return finishLattice(a, b, c, vCell, dual.Div(dual.C(1), vCell)), nil
}

// finishLattice completes a lattice from its real-space vectors (Å), cell
// volume and reciprocal volume, as nanoBragg does after building them.
func finishLattice(a, b, c dual.Vec3, vCell, vStar dual.Num) Lattice {
	var l Lattice
	a0, b0, c0 := a.Norm(), b.Norm(), c.Norm()

	// re-generate the reciprocal vectors from the real-space ones
	aCrossB := a.Cross(b)
	bCrossC := b.Cross(c)
	cCrossA := c.Cross(a)
	aStar := bCrossC.Scale(vStar)
	bStar := cCrossA.Scale(vStar)
	cStar := aCrossB.Scale(vStar)
	as0, bs0, cs0 := aStar.Norm(), bStar.Norm(), cStar.Norm()

	// cell angles: sines from volume ratios, cosines from dot products
	l.AnglesRad = angles(
		div2(dual.Mul(as0, vCell), b0, c0),
		div2(dual.Mul(bs0, vCell), a0, c0),
		div2(dual.Mul(cs0, vCell), a0, b0),
		div2(b.Dot(c), b0, c0),
		div2(a.Dot(c), a0, c0),
		div2(a.Dot(b), a0, b0))
	l.RecipAnglesRad = angles(
		div2(dual.Mul(a0, vStar), bs0, cs0),
		div2(dual.Mul(b0, vStar), as0, cs0),
		div2(dual.Mul(c0, vStar), as0, bs0),
		div2(bStar.Dot(cStar), bs0, cs0),
		div2(aStar.Dot(cStar), as0, cs0),
		div2(aStar.Dot(bStar), as0, bs0))

	l.VectorsA = [3]dual.Vec3{a, b, c}
	l.LengthsA = [3]dual.Num{a0, b0, c0}
	l.RecipLengthsInvA = [3]dual.Num{as0, bs0, cs0}
	l.AStar, l.BStar, l.CStar = aStar, bStar, cStar
	l.VCellA3 = vCell
	m := dual.C(1e-10)
	l.A, l.B, l.C = a.Scale(m), b.Scale(m), c.Scale(m)
	return l
}

// MinFlatness is the smallest accepted V_cell/(a*b*c) of a user cell. Real
// cells have ratios above 0.1; a ratio near rounding level (angles summing
// to 360 degrees, or one angle equal to the sum of the others) means the
// axes are coplanar and nanoBragg would go on with a volume made of
// rounding error.
const MinFlatness = 1e-6

// userCell is nanoBragg's -cell block: defaults, volume from the skew
// formula, reciprocal lengths and angles and the default orientation.
func userCell(in CellInput) (a, b, c, vCell dual.Num, aStar, bStar, cStar dual.Vec3, err error) {
	a, b, c = in.A, in.B, in.C
	alpha, beta, gamma := in.Alpha, in.Beta, in.Gamma
	for _, p := range []struct {
		name string
		v    float64
	}{{"a", a.V}, {"b", b.V}, {"c", c.V}, {"alpha", alpha.V}, {"beta", beta.V}, {"gamma", gamma.V}} {
		if math.IsNaN(p.v) || math.IsInf(p.v, 0) {
			err = fmt.Errorf("%w: cell %s is %g", ErrCell, p.name, p.v)
			return
		}
	}
	if !(a.V > 0) {
		err = fmt.Errorf("%w: cell length a = %g Å must be positive", ErrCell, a.V)
		return
	}
	if b.V <= 0 {
		b = a
	}
	if c.V <= 0 {
		c = a
	}
	right := dual.C(math.Pi / 2)
	if alpha.V <= 0 {
		alpha = right
	}
	if beta.V <= 0 {
		beta = right
	}
	if gamma.V <= 0 {
		gamma = right
	}
	cellText := func() string {
		return fmt.Sprintf("a=%s b=%s c=%s Å alpha=%s beta=%s gamma=%s deg",
			cG(a.V), cG(b.V), cG(c.V), cG(RadToDeg(alpha.V)), cG(RadToDeg(beta.V)), cG(RadToDeg(gamma.V)))
	}

	// volume from the angles
	aavg := dual.Div(dual.Add(dual.Add(alpha, beta), gamma), dual.C(2))
	skew := dual.Mul(dual.Mul(dual.Mul(dual.Sin(aavg), dual.Sin(dual.Sub(aavg, alpha))),
		dual.Sin(dual.Sub(aavg, beta))), dual.Sin(dual.Sub(aavg, gamma)))
	if skew.V < 0 {
		// nanoBragg takes |skew| and goes on; such angles close no cell
		err = fmt.Errorf("%w: angles cannot form a cell (%s): each angle must be below the sum of the other two and the sum below 360 deg",
			ErrCell, cellText())
		return
	}
	vCell = dual.Mul(dual.Mul(dual.Mul(dual.Mul(dual.C(2), a), b), c), dual.Sqrt(skew))
	if !(vCell.V > 0) || math.IsInf(vCell.V, 0) {
		err = fmt.Errorf("%w: impossible unit cell volume %g Å^3 (%s)", ErrCell, vCell.V, cellText())
		return
	}
	if vCell.V < MinFlatness*a.V*b.V*c.V {
		err = fmt.Errorf("%w: degenerate unit cell: volume %g Å^3 is below %g of a*b*c (%s)", ErrCell, vCell.V, MinFlatness, cellText())
		return
	}
	vStar := dual.Div(dual.C(1), vCell)

	// reciprocal lengths from the angles and volume
	as0 := dual.Mul(dual.Mul(dual.Mul(b, c), dual.Sin(alpha)), vStar)
	bs0 := dual.Mul(dual.Mul(dual.Mul(c, a), dual.Sin(beta)), vStar)
	cs0 := dual.Mul(dual.Mul(dual.Mul(a, b), dual.Sin(gamma)), vStar)
	if !(as0.V > 0 && bs0.V > 0 && cs0.V > 0) {
		err = fmt.Errorf("%w: impossible reciprocal cell lengths %g %g %g 1/Å (%s): angles must lie between 0 and 180 deg",
			ErrCell, as0.V, bs0.V, cs0.V, cellText())
		return
	}

	// reciprocal angles from the direct angles
	sinGammaStar := div2(dual.Mul(c, vStar), as0, bs0)
	cosAlphaStar := dual.Div(dual.Sub(dual.Mul(dual.Cos(beta), dual.Cos(gamma)), dual.Cos(alpha)),
		dual.Mul(dual.Sin(beta), dual.Sin(gamma)))
	cosBetaStar := dual.Div(dual.Sub(dual.Mul(dual.Cos(gamma), dual.Cos(alpha)), dual.Cos(beta)),
		dual.Mul(dual.Sin(gamma), dual.Sin(alpha)))
	cosGammaStar := dual.Div(dual.Sub(dual.Mul(dual.Cos(alpha), dual.Cos(beta)), dual.Cos(gamma)),
		dual.Mul(dual.Sin(alpha), dual.Sin(beta)))
	sinGammaStar = clampSin(sinGammaStar)
	cosAlphaStar = clampCos(cosAlphaStar)
	cosBetaStar = clampCos(cosBetaStar)
	cosGammaStar = clampCos(cosGammaStar)

	// default orientation
	zero := dual.C(0)
	aStar = dual.Vec3{as0, zero, zero}
	bStar = dual.Vec3{dual.Mul(bs0, cosGammaStar), dual.Mul(bs0, sinGammaStar), zero}
	cStar = dual.Vec3{
		dual.Mul(cs0, cosBetaStar),
		dual.Div(dual.Mul(cs0, dual.Sub(cosAlphaStar, dual.Mul(cosBetaStar, cosGammaStar))), sinGammaStar),
		dual.Div(dual.Mul(cs0, vCell), dual.Mul(dual.Mul(dual.Mul(a, b), c), sinGammaStar)),
	}
	return
}

// div2 returns x/y/z evaluated left to right.
func div2(x, y, z dual.Num) dual.Num { return dual.Div(dual.Div(x, y), z) }

// clampSin limits a sine to [-1, 1] as nanoBragg does.
func clampSin(s dual.Num) dual.Num {
	if s.V > 1 {
		return dual.C(1)
	}
	if s.V < -1 {
		return dual.C(-1)
	}
	return s
}

// clampCos applies nanoBragg's cosine clamp: a cosine whose square exceeds
// 1 becomes +1 (whatever its sign).
func clampCos(c dual.Num) dual.Num {
	if c.V*c.V > 1 {
		return dual.C(1)
	}
	return c
}

// angles returns atan2(sin, cos) for three clamped sine/cosine pairs.
func angles(s1, s2, s3, c1, c2, c3 dual.Num) [3]dual.Num {
	return [3]dual.Num{
		dual.Atan2(clampSin(s1), clampCos(c1)),
		dual.Atan2(clampSin(s2), clampCos(c2)),
		dual.Atan2(clampSin(s3), clampCos(c3)),
	}
}

// RotatePhi rotates v by phi (radians) about the unit spindle axis as
// nanoBragg's rotate_axis does (glibc's correctly rounded sine and cosine,
// C's evaluation order).
func RotatePhi(v dual.Vec3, spindle [3]float64, phi dual.Num) dual.Vec3 {
	return v.RotateAxis(dual.V3(spindle[0], spindle[1], spindle[2]), phi)
}
