package expt

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
	k := *raw.ScanAxis
	for i := 0; i < k; i++ {
		g.FixedRotation = matMul(axisAngle(axes[i], raw.Angles[i]*math.Pi/180), g.FixedRotation)
	}
	for i := k + 1; i < n; i++ {
		g.SettingRotation = matMul(axisAngle(axes[i], raw.Angles[i]*math.Pi/180), g.SettingRotation)
	}
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
	n := math.Sqrt(a[0]*a[0] + a[1]*a[1] + a[2]*a[2])
	if !(math.Abs(n-1) <= axisLengthTol) {
		return a, fmt.Errorf("%v is not a unit vector (length %g)", a, n)
	}
	if n == 1 {
		return a, nil
	}
	return [3]float64{a[0] / n, a[1] / n, a[2] / n}, nil
}

// axisAngle is the right-handed rotation by angle radians about the unit
// axis u (Rodrigues' formula), row by row.
func axisAngle(u [3]float64, angle float64) [9]float64 {
	c, s := math.Cos(angle), math.Sin(angle)
	t := 1 - c
	x, y, z := u[0], u[1], u[2]
	return [9]float64{
		t*x*x + c, t*x*y - s*z, t*x*z + s*y,
		t*x*y + s*z, t*y*y + c, t*y*z - s*x,
		t*x*z - s*y, t*y*z + s*x, t*z*z + c,
	}
}

func matMul(a, b [9]float64) [9]float64 {
	var m [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			m[3*i+j] = a[3*i]*b[j] + a[3*i+1]*b[3+j] + a[3*i+2]*b[6+j]
		}
	}
	return m
}

func matVec(m [9]float64, v [3]float64) [3]float64 {
	return [3]float64{
		m[0]*v[0] + m[1]*v[1] + m[2]*v[2],
		m[3]*v[0] + m[4]*v[1] + m[5]*v[2],
		m[6]*v[0] + m[7]*v[1] + m[8]*v[2],
	}
}

// checkRotation refuses a matrix that is not a proper rotation.
func checkRotation(m [9]float64) error {
	for _, x := range m {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%v is not finite", m)
		}
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			dot := m[3*i]*m[3*j] + m[3*i+1]*m[3*j+1] + m[3*i+2]*m[3*j+2]
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(dot-want) > rotationTol {
				return fmt.Errorf("%v is not a rotation (rows %d and %d have dot product %g)", m, i, j, dot)
			}
		}
	}
	det := m[0]*(m[4]*m[8]-m[5]*m[7]) - m[1]*(m[3]*m[8]-m[5]*m[6]) + m[2]*(m[3]*m[7]-m[4]*m[6])
	if math.Abs(det-1) > rotationTol {
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
	return matVec(g.SettingRotation, g.RotationAxis)
}

// AtZero turns a crystal vector given at scan angle 0 (as an experiment
// list stores it) into the lab frame at scan angle 0: S F v. Rotating the
// result about SpindleAxis by phi gives S R(axis, phi) F v.
func (g Goniometer) AtZero(v [3]float64) [3]float64 {
	if g.FixedRotation == Identity && g.SettingRotation == Identity {
		return v
	}
	return matVec(g.SettingRotation, matVec(g.FixedRotation, v))
}
