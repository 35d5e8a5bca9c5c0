package expt

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/spatial/r3"
)

// axisLengthTol is how far from 1 the length of a goniometer axis may be:
// axes written to four digits (0.5774, -0.8165, 0), as full CBF headers
// give them, are unit to about 3e-5; dxtbx normalizes every axis.
const axisLengthTol = 1e-3

// rotationTol is how far a fixed or setting rotation may be from a proper
// rotation (R Rᵀ = I, det R = 1), element by element: such matrices are
// written to 16 digits, so anything larger is not a rotation.
const rotationTol = 1e-6

// UnmarshalJSON reads either goniometer dxtbx writes: a single axis
// (rotation_axis with optional fixed_rotation and setting_rotation, the
// identity when absent, as dxtbx's from_dict takes them) or a multi-axis
// goniometer (axes, angles, names, scan_axis). For the latter the fixed
// rotation is the product of the rotations about the axes inside the scan
// axis and the setting rotation that of the axes outside it, each turned
// by its angle, as dxtbx's MultiAxisGoniometer computes them.
func (g *Goniometer) UnmarshalJSON(b []byte) error {
	g.invalid = nil
	if err := g.decode(b); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syntax) || errors.As(err, &typ) {
			return err
		}
		// A model that is well-formed JSON but not a goniometer is refused
		// by List.Experiment, which names its place in the list.
		g.invalid = err
	}
	return nil
}

// decode is UnmarshalJSON's work; its errors name the field.
func (g *Goniometer) decode(b []byte) error {
	var raw struct {
		RotationAxis    *[3]float64  `json:"rotation_axis"`
		FixedRotation   *[9]float64  `json:"fixed_rotation"`
		SettingRotation *[9]float64  `json:"setting_rotation"`
		Axes            [][3]float64 `json:"axes"`
		Angles          []float64    `json:"angles"`
		Names           []string     `json:"names"`
		ScanAxis        *int         `json:"scan_axis"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*g = Goniometer{FixedRotation: Identity, SettingRotation: Identity}
	if raw.Axes == nil {
		if raw.RotationAxis == nil {
			return errors.New("no rotation_axis (nor axes of a multi-axis goniometer)")
		}
		g.RotationAxis = *raw.RotationAxis
		if raw.FixedRotation != nil {
			g.FixedRotation = *raw.FixedRotation
		}
		if raw.SettingRotation != nil {
			g.SettingRotation = *raw.SettingRotation
		}
		return nil
	}
	n := len(raw.Axes)
	switch {
	case n == 0:
		return errors.New("axes is empty")
	case len(raw.Angles) != n:
		return fmt.Errorf("%d axes but %d angles", n, len(raw.Angles))
	case raw.Names != nil && len(raw.Names) != n:
		return fmt.Errorf("%d axes but %d names", n, len(raw.Names))
	case raw.ScanAxis == nil:
		return errors.New("axes without scan_axis")
	case *raw.ScanAxis < 0 || *raw.ScanAxis >= n:
		return fmt.Errorf("scan_axis %d is not one of the %d axes", *raw.ScanAxis, n)
	}
	axes := make([][3]float64, n)
	for i, a := range raw.Axes {
		u, err := unitAxis(a)
		if err != nil {
			return fmt.Errorf("axis %d (%s): %w", i, axisName(raw.Names, i), err)
		}
		axes[i] = u
		if x := raw.Angles[i]; math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("angle %d (%s) is %g", i, axisName(raw.Names, i), x)
		}
	}
	// Each axis's rotation is applied after those inside it: F = R_{k-1}
	// ... R_0, S = R_{n-1} ... R_{k+1}.
	k := *raw.ScanAxis
	fixed, setting := r3.Eye(), r3.Eye()
	for i := range axes {
		r := r3.NewRotation(raw.Angles[i]*math.Pi/180, vec(axes[i])).Mat()
		switch {
		case i < k:
			fixed.Mul(r, fixed)
		case i > k:
			setting.Mul(r, setting)
		}
	}
	g.FixedRotation, g.SettingRotation = rows(fixed), rows(setting)
	g.RotationAxis = axes[k]
	g.Axes, g.Angles, g.Names, g.ScanAxis = raw.Axes, raw.Angles, raw.Names, raw.ScanAxis
	return nil
}

func axisName(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return "unnamed"
}

// unitAxis returns a normalized, refusing one whose length is not within
// axisLengthTol of 1 or not finite.
func unitAxis(a [3]float64) ([3]float64, error) {
	n := r3.Norm(vec(a))
	if !(math.Abs(n-1) <= axisLengthTol) {
		return a, fmt.Errorf("%v is not a unit vector (length %g)", a, n)
	}
	if n == 1 {
		return a, nil
	}
	return array3(r3.Unit(vec(a))), nil
}

// mat3 is a goniometer matrix, given row by row, as gonum's r3.Mat (of a
// copy: m is passed by value).
func mat3(m [9]float64) *r3.Mat { return r3.NewMat(m[:]) }

// rows returns m row by row.
func rows(m *r3.Mat) [9]float64 {
	var out [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			out[3*i+j] = m.At(i, j)
		}
	}
	return out
}

// array3 converts an r3.Vec back to a list's vector.
func array3(v r3.Vec) [3]float64 { return [3]float64{v.X, v.Y, v.Z} }

// checkRotation refuses a matrix that is not a proper rotation.
func checkRotation(m [9]float64) error {
	for _, x := range m {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%v is not finite", m)
		}
	}
	rot := mat3(m)
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			dot := r3.Dot(rot.VecRow(i), rot.VecRow(j))
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(dot-want) > rotationTol {
				return fmt.Errorf("%v is not a rotation (rows %d and %d have dot product %g)", m, i, j, dot)
			}
		}
	}
	if det := rot.Det(); math.Abs(det-1) > rotationTol {
		return fmt.Errorf("%v is a reflection, not a rotation (determinant %g)", m, det)
	}
	return nil
}

// SpindleAxis is the lab direction the crystal turns about as the scan
// angle grows: the setting rotation applied to the rotation axis, since
// S R(axis, phi) = R(S axis, phi) S.
func (g Goniometer) SpindleAxis() [3]float64 {
	if g.SettingRotation == Identity {
		return g.RotationAxis
	}
	return array3(mat3(g.SettingRotation).MulVec(vec(g.RotationAxis)))
}

// AtZero turns a crystal vector given at scan angle 0 (as an experiment
// list stores it) into the lab frame at scan angle 0: S F v. Rotating the
// result about SpindleAxis by phi gives S R(axis, phi) F v.
func (g Goniometer) AtZero(v [3]float64) [3]float64 {
	if g.FixedRotation == Identity && g.SettingRotation == Identity {
		return v
	}
	return array3(mat3(g.SettingRotation).MulVec(mat3(g.FixedRotation).MulVec(vec(v))))
}
