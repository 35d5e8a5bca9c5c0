package graph

import G "gorgonia.org/gorgonia"

// geometry is the geometry steps' part of a graph: the nodes from theta
// to the diffraction kernel's inputs other than F.
type geometry struct {
	latNode, recipNode, detNode, srcNode, scalNode *G.Node
	// carried marks the phi steps that use the carried-over lattice.
	carried []bool
}

// nodes are the kernel's inputs in its order (lattice, reciprocal cell,
// detector, sources, scalars).
func (geo geometry) nodes() []*G.Node {
	return []*G.Node{geo.latNode, geo.recipNode, geo.detNode, geo.srcNode, geo.scalNode}
}

// wireGeometry adds the geometry steps of exp, from the parameter vector
// theta to the kernel's inputs, to gr. Simulate and the Jacobian both
// build them here, so that Gorgonia differentiates the same steps.
func wireGeometry(gr *Graph, theta *G.Node, exp *Experiment) (geometry, error) {
	var err error
	apply := func(f Func, in ...*G.Node) *G.Node {
		n, e := gr.Apply(f, in...)
		if e != nil && err == nil {
			err = e
		}
		return n
	}
	geo, err := exp.Geometry()
	if err != nil {
		return geometry{}, err
	}
	var out geometry
	cell := apply(exp.cellFunc(), theta)
	rot := apply(exp.phiFunc(geo.Spindle), cell, theta)
	carry, carried := exp.carryFunc()
	out.carried = carried
	slots := apply(carry, rot, cell)
	umats := apply(exp.umatFunc(geo.Spindle), theta)
	out.latNode = apply(mosaicFunc{Slots: 2 * exp.PhiSteps, NMos: len(exp.MosaicDraws), Rotate: exp.MosaicOn}, slots, umats)
	out.recipNode = apply(pieceFunc{Label: "recip", Off: 9, N: 9, Total: 18}, cell)
	out.detNode = apply(exp.detectorFunc(), theta)
	out.srcNode = apply(exp.sourceFunc(), theta)
	var defaults [scalLen]float64
	defaults[scalNa], defaults[scalNb], defaults[scalNc] = 1, 1, 1
	defaults[scalFudge] = 1
	out.scalNode = apply(exp.scalFunc(defaults), theta)
	if err != nil {
		return geometry{}, err
	}
	return out, nil
}
