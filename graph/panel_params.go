package graph

import (
	"fmt"
	"strconv"
	"strings"

	"gobragg/dual"
)

// Panel and group parameters move one panel, or one group of panels and
// everything in it, as a rigid body, in the node's own frame at its
// reference placement (fast, slow and normal = fast x slow axes, origin):
//
//	panelN_shift_fast, panelN_shift_slow, panelN_dist   shifts along the axes (m)
//	panelN_rot_fast, panelN_rot_slow, panelN_rot_normal  rotations about the axes
//	                                                     through the origin (rad)
//
// and the same with groupN_ for group N of Experiment.PanelTree (numbered
// depth first, the root is group0, as package expt numbers DIALS's
// hierarchy). A node turns first about its fast axis, then its slow axis,
// then its normal. Motions compose from the panel up to the root: a
// group's motion carries its panels as they lie after their own motions,
// so a group's parameters are those of its frame as its parent moves it
// (DIALS's hierarchical detector parameterisation). At zero every panel
// lies at its reference placement (Experiment.Panels).

// PanelMotions are the six motions of a panel or group, in parameter order.
var PanelMotions = []string{"shift_fast", "shift_slow", "dist", "rot_fast", "rot_slow", "rot_normal"}

// PanelParam names motion kind (one of PanelMotions) of panel i.
func PanelParam(i int, kind string) string { return "panel" + strconv.Itoa(i) + "_" + kind }

// GroupParam names motion kind of group g.
func GroupParam(g int, kind string) string { return "group" + strconv.Itoa(g) + "_" + kind }

// IsPanelMotion reports whether name is a motion of a panel or group
// (panel3_dist, group1_rot_normal), of whatever detector.
func IsPanelMotion(name string) bool { _, _, ok := panelMotionUnit(name); return ok }

// panelMotionUnit returns the option units of a panel or group parameter
// (mm for shifts, degrees for rotations).
func panelMotionUnit(name string) (string, float64, bool) {
	var rest string
	switch {
	case strings.HasPrefix(name, "panel"):
		rest = name[len("panel"):]
	case strings.HasPrefix(name, "group"):
		rest = name[len("group"):]
	default:
		return "", 0, false
	}
	num, kind, ok := strings.Cut(rest, "_")
	if !ok || num == "" || strings.TrimLeft(num, "0123456789") != "" {
		return "", 0, false
	}
	switch kind {
	case "shift_fast", "shift_slow", "dist":
		return "mm", 1e-3, true
	case "rot_fast", "rot_slow", "rot_normal":
		return "degree", degreeRad, true
	}
	return "", 0, false
}

// PanelGroup is a node of a multi-panel detector's hierarchy: its frame
// at the reference placement (laboratory frame, metres), the panels
// directly in it and its groups.
type PanelGroup struct {
	Frame  PanelFrame
	Panels []int
	Groups []*PanelGroup
}

// node is a panel or group with its reference frame and the packed
// indices of its six motions (-1: not a parameter).
type node struct {
	o, f, s, n dual.Vec3
	idx        [6]int
}

// newNode returns the node of frame f with the parameters name(kind).
func newNode(p *Params, fr PanelFrame, name func(kind string) string) node {
	c := func(a [3]float64) dual.Vec3 { return dual.V3(a[0], a[1], a[2]) }
	nd := node{o: c(fr.Pix0M), f: c(fr.Fast), s: c(fr.Slow)}
	nd.n = nd.f.Cross(nd.s)
	for k, kind := range PanelMotions {
		nd.idx[k] = p.Index(name(kind))
	}
	return nd
}

// active reports whether any motion of the node is a parameter.
func (nd node) active() bool {
	for _, i := range nd.idx {
		if i >= 0 {
			return true
		}
	}
	return false
}

// move applies the node's motion to a point x (point) or a direction.
func (nd node) move(theta []dual.Num, x dual.Vec3, point bool) dual.Vec3 {
	get := func(k int) dual.Num {
		if nd.idx[k] < 0 {
			return dual.C(0)
		}
		return theta[nd.idx[k]]
	}
	v := x
	if point {
		v = x.Sub(nd.o)
	}
	v = v.RotateAxis(nd.f, get(3)).RotateAxis(nd.s, get(4)).RotateAxis(nd.n, get(5))
	if !point {
		return v
	}
	t := nd.f.Scale(get(0)).Add(nd.s.Scale(get(1))).Add(nd.n.Scale(get(2)))
	return nd.o.Add(t).Add(v)
}

// panelChains returns, for every panel, the nodes whose motions move it
// (the panel, its group, ... the root), leaving out nodes without
// parameters.
func (e *Experiment) panelChains() ([][]node, error) {
	p := e.Params
	chains := make([][]node, len(e.Panels))
	for i, fr := range e.Panels {
		if nd := newNode(p, fr, func(k string) string { return PanelParam(i, k) }); nd.active() {
			chains[i] = append(chains[i], nd)
		}
	}
	if e.PanelTree == nil {
		return chains, nil
	}
	seen := make([]bool, len(e.Panels))
	count := 0
	var walk func(g *PanelGroup, up []node) error
	walk = func(g *PanelGroup, up []node) error {
		gi := count
		count++
		nd := newNode(p, g.Frame, func(k string) string { return GroupParam(gi, k) })
		// Innermost first: this group's motion, then its parents'.
		chain := up
		if nd.active() {
			chain = append([]node{nd}, up...)
		}
		for _, i := range g.Panels {
			if i < 0 || i >= len(e.Panels) || seen[i] {
				return fmt.Errorf("graph: panel %d is not a panel or is in the hierarchy twice", i)
			}
			seen[i] = true
			chains[i] = append(chains[i], chain...)
		}
		for _, c := range g.Groups {
			if err := walk(c, chain); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(e.PanelTree, nil); err != nil {
		return nil, err
	}
	return chains, nil
}
