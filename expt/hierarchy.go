package expt

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/spatial/r3"
)

// Frame places a panel or a group of panels: unit fast and slow axes and
// the origin (mm). A frame read from a list is local, in its parent
// group's frame; Compose turns it into the laboratory frame.
type Frame struct {
	Fast, Slow, Origin [3]float64
}

// identityFrame is the frame dxtbx gives a group that has none, and the
// root of a detector written without a hierarchy.
var identityFrame = Frame{Fast: [3]float64{1, 0, 0}, Slow: [3]float64{0, 1, 0}}

// Compose returns the laboratory frame of a child whose frame in f is
// local, as dxtbx's VirtualPanelFrame does: the local vectors expressed in
// the basis (fast, slow, fast x slow) of f, the origin moved by f's origin.
// The identity frame returns local unchanged (bit for bit).
func (f Frame) Compose(local Frame) Frame {
	if f == identityFrame {
		return local
	}
	fast, slow := vec(f.Fast), vec(f.Slow)
	normal := r3.Cross(fast, slow)
	in := func(v [3]float64) r3.Vec {
		return r3.Add(r3.Add(r3.Scale(v[0], fast), r3.Scale(v[1], slow)), r3.Scale(v[2], normal))
	}
	arr := func(v r3.Vec) [3]float64 { return [3]float64{v.X, v.Y, v.Z} }
	return Frame{Fast: arr(in(local.Fast)), Slow: arr(in(local.Slow)), Origin: arr(r3.Add(vec(f.Origin), in(local.Origin)))}
}

// Group is a node of a detector's hierarchy (dxtbx's Detector.hierarchy()):
// a frame of its own, local to its parent's, that moves every panel and
// group under it together. Groups are numbered depth first from the root
// (group 0), the order of dxtbx's to_dict.
type Group struct {
	Name  string
	Index int
	// Local is the frame in the parent's frame (the root's is in the
	// laboratory frame); Lab the frame in the laboratory frame.
	Local, Lab Frame
	// Panels are the indices of the panels directly in the group, Groups
	// the groups directly in it, each in the order of the list.
	Panels []int
	Groups []*Group
}

// Walk calls fn for g and every group under it, depth first (by Index).
func (g *Group) Walk(fn func(*Group)) {
	fn(g)
	for _, c := range g.Groups {
		c.Walk(fn)
	}
}

// maxPanels bounds a detector's panels: 4096 is 16 times the 256 chips of
// a JUNGFRAU 16M modelled chip by chip. Each panel is checked and later
// rendered with its own geometry, so the bound keeps a list's cost small.
const maxPanels = 1 << 12

// hierarchyOf reads the detector's hierarchy as dxtbx's Detector.from_dict
// does: frames of groups and panels local to their parent group, every
// panel a child of exactly one group. It returns the root, every panel's
// local frame and its parent group. A detector without a hierarchy is one
// identity group holding every panel in order. where names the detector
// ("detector[0]") in errors.
func hierarchyOf(d Detector, where string) (*Group, []Frame, []*Group, error) {
	n := len(d.Panels)
	local := make([]Frame, n)
	for i, p := range d.Panels {
		local[i] = Frame{Fast: p.FastAxis, Slow: p.SlowAxis, Origin: p.Origin}
	}
	parent := make([]*Group, n)
	if d.Hierarchy == nil {
		root := &Group{Local: identityFrame, Lab: identityFrame}
		for i := range n {
			root.Panels = append(root.Panels, i)
			parent[i] = root
		}
		return root, local, parent, nil
	}
	r := hierarchyReader{where: where, parent: parent}
	root, err := r.group(d.Hierarchy, where+".hierarchy", nil)
	if err != nil {
		return nil, nil, nil, err
	}
	for i, g := range parent {
		if g == nil {
			return nil, nil, nil, fmt.Errorf("%s.hierarchy: panel %d is in no group (dxtbx places every panel)", where, i)
		}
	}
	return root, local, parent, nil
}

// hierarchyReader walks the hierarchy's JSON tree, numbering the groups.
type hierarchyReader struct {
	where  string
	parent []*Group
	groups int
}

// group reads one group node at path under up (nil for the root).
func (r *hierarchyReader) group(m map[string]any, path string, up *Group) (*Group, error) {
	g := &Group{Index: r.groups}
	r.groups++
	g.Name, _ = m["name"].(string)
	local, err := frameOf(m, path)
	if err != nil {
		return nil, err
	}
	g.Local, g.Lab = local, local
	if up != nil {
		g.Lab = up.Lab.Compose(local)
	}
	children, ok := m["children"].([]any)
	if !ok && m["children"] != nil {
		return nil, fmt.Errorf("%s.children: not an array", path)
	}
	for i, c := range children {
		cpath := fmt.Sprintf("%s.children[%d]", path, i)
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not an object", cpath)
		}
		if pv, ok := cm["panel"]; ok {
			x, ok := pv.(float64)
			if !ok || x != math.Trunc(x) || x < 0 || x >= float64(len(r.parent)) {
				return nil, fmt.Errorf("%s.panel: %v is not a panel of the detector (%d panels)", cpath, pv, len(r.parent))
			}
			k := int(x)
			if r.parent[k] != nil {
				return nil, fmt.Errorf("%s.panel: panel %d is in the hierarchy twice", cpath, k)
			}
			r.parent[k] = g
			g.Panels = append(g.Panels, k)
			continue
		}
		if r.groups >= maxPanels {
			return nil, fmt.Errorf("%s: more than %d groups", cpath, maxPanels)
		}
		sub, err := r.group(cm, cpath, g)
		if err != nil {
			return nil, err
		}
		g.Groups = append(g.Groups, sub)
	}
	return g, nil
}

// frameOf reads a group's local frame: fast_axis, slow_axis and origin
// together, or the identity when any is absent (dxtbx's default). The
// axes must be orthonormal, as the panels' are: the frame is a rigid motion.
func frameOf(m map[string]any, path string) (Frame, error) {
	var f Frame
	for _, k := range []struct {
		key string
		v   *[3]float64
	}{{"fast_axis", &f.Fast}, {"slow_axis", &f.Slow}, {"origin", &f.Origin}} {
		raw, ok := m[k.key]
		if !ok || raw == nil {
			return identityFrame, nil
		}
		xs, ok := raw.([]any)
		if !ok || len(xs) != 3 {
			return Frame{}, fmt.Errorf("%s.%s: not an array of 3 numbers", path, k.key)
		}
		for i, x := range xs {
			v, ok := x.(float64)
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				return Frame{}, fmt.Errorf("%s.%s: not an array of 3 finite numbers", path, k.key)
			}
			k.v[i] = v
		}
	}
	for _, a := range []struct {
		key string
		v   [3]float64
	}{{"fast_axis", f.Fast}, {"slow_axis", f.Slow}} {
		if n := r3.Norm(vec(a.v)); !(math.Abs(n-1) < unitTolerance) {
			return Frame{}, fmt.Errorf("%s.%s: %s is not a unit vector (length %g)", path, a.key, vecText(a.v), n)
		}
	}
	if c := r3.Dot(vec(f.Fast), vec(f.Slow)); math.Abs(c) > perpendicularTolerance {
		return Frame{}, fmt.Errorf("%s: fast_axis %s and slow_axis %s are not perpendicular (cosine %.3g): a group's frame is a rigid motion", path, vecText(f.Fast), vecText(f.Slow), c)
	}
	return f, nil
}

// labPanels returns the detector's panels in the laboratory frame, with
// the hierarchy: each panel's local frame composed through its groups.
func labPanels(d Detector, where string) ([]Panel, *Group, []Frame, []*Group, error) {
	if n := len(d.Panels); n == 0 || n > maxPanels {
		return nil, nil, nil, nil, fmt.Errorf("%s: the detector has %d panels (1 to %d)", where, n, maxPanels)
	}
	root, local, parent, err := hierarchyOf(d, where)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	out := make([]Panel, len(d.Panels))
	for i, p := range d.Panels {
		lab := parent[i].Lab.Compose(local[i])
		p.FastAxis, p.SlowAxis, p.Origin = lab.Fast, lab.Slow, lab.Origin
		out[i] = p
	}
	return out, root, local, parent, nil
}

// NewDetector builds a detector from panels whose frames are local to
// their groups (parents[i] holds panel i) and the tree under root, written
// as dxtbx's Detector.to_dict writes it: each group a node with its local
// frame and its children, panels first, then groups.
func NewDetector(local []Panel, root *Group) Detector {
	return Detector{Panels: local, Hierarchy: root.node()}
}

// node is g as a hierarchy node.
func (g *Group) node() map[string]any {
	h := hierarchy()
	f := g.Local
	h["name"] = g.Name
	h["fast_axis"], h["slow_axis"], h["origin"] = f.Fast[:], f.Slow[:], f.Origin[:]
	children := []any{}
	for _, p := range g.Panels {
		children = append(children, map[string]any{"panel": p})
	}
	for _, c := range g.Groups {
		children = append(children, c.node())
	}
	h["children"] = children
	return h
}
