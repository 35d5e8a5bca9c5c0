package graph

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Func is a vector function of float64 vectors together with its
// vector-Jacobian product. Every custom node of the gobragg graph is a Func
// wrapped by Apply: geometry steps, the carry-over substitution, the fused
// diffraction kernel and the unpacking of its outputs.
type Func interface {
	Name() string
	InSizes() []int
	OutSize() int
	Forward(in [][]float64, out []float64) error
	// VJP writes into gIn (zeroed, shaped like in) the gradient of
	// <gOut, Forward(in)> with respect to every input.
	VJP(in [][]float64, gOut []float64, gIn [][]float64) error
}

var vecF64 = G.TensorType{Dims: 1, Of: tensor.Float64}

func fnType(n int) hm.Type {
	ts := make([]hm.Type, n+1)
	for i := range ts {
		ts[i] = vecF64
	}
	return hm.NewFnType(ts...)
}

func hashOf(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func vectorData(v G.Value) ([]float64, error) {
	d, ok := v.Data().([]float64)
	if !ok {
		if f, ok := v.Data().(float64); ok {
			return []float64{f}, nil
		}
		return nil, fmt.Errorf("graph: expected float64 data, got %T", v.Data())
	}
	return d, nil
}

func newVector(data []float64) G.Value {
	return tensor.New(tensor.WithBacking(data), tensor.WithShape(len(data)))
}

// funcOp adapts a Func to Gorgonia's Op and SDOp interfaces.
type funcOp struct {
	f  Func
	id int // distinguishes ops with equal names in one graph
	// out is the output of the last Do, reused (zeroed) by the next: the
	// model runs the graph once per span and reads each run's values before
	// the next, so a new buffer per span would only feed the collector.
	out []float64
}

func (op *funcOp) Arity() int    { return len(op.f.InSizes()) }
func (op *funcOp) Type() hm.Type { return fnType(op.Arity()) }
func (op *funcOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.f.OutSize()}, nil
}
func (op *funcOp) ReturnsPtr() bool      { return false }
func (op *funcOp) CallsExtern() bool     { return false }
func (op *funcOp) OverwritesInput() int  { return -1 }
func (op *funcOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s#%d", op.f.Name(), op.id) }
func (op *funcOp) Hashcode() uint32      { return hashOf(op.String()) }
func (op *funcOp) String() string        { return fmt.Sprintf("%s#%d", op.f.Name(), op.id) }

func (op *funcOp) inputs(values []G.Value) ([][]float64, error) {
	sizes := op.f.InSizes()
	if len(values) < len(sizes) {
		return nil, fmt.Errorf("graph: %s wants %d inputs, got %d", op.f.Name(), len(sizes), len(values))
	}
	in := make([][]float64, len(sizes))
	for i := range sizes {
		d, err := vectorData(values[i])
		if err != nil {
			return nil, err
		}
		if len(d) != sizes[i] {
			return nil, fmt.Errorf("graph: %s input %d has %d values, want %d", op.f.Name(), i, len(d), sizes[i])
		}
		in[i] = d
	}
	return in, nil
}

func (op *funcOp) Do(values ...G.Value) (G.Value, error) {
	in, err := op.inputs(values)
	if err != nil {
		return nil, err
	}
	if len(op.out) != op.f.OutSize() {
		op.out = make([]float64, op.f.OutSize())
	}
	out := op.out
	clear(out)
	if err := op.f.Forward(in, out); err != nil {
		return nil, err
	}
	return newVector(out), nil
}

func (op *funcOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// SymDiff computes every input's gradient with one backward node (so the
// VJP runs once) and copies each piece out with its own small op: slicing
// views of a packed gradient is one of Gorgonia's known bugs.
func (op *funcOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	back, err := G.ApplyOp(&vjpOp{op}, append(append(G.Nodes{}, inputs...), grad)...)
	if err != nil {
		return nil, err
	}
	sizes := op.f.InSizes()
	total := 0
	for _, s := range sizes {
		total += s
	}
	res := make(G.Nodes, len(sizes))
	off := 0
	for i, s := range sizes {
		if res[i], err = G.ApplyOp(&pieceOp{off: off, n: s, total: total, tag: op.String()}, back); err != nil {
			return nil, err
		}
		off += s
	}
	return res, nil
}

// vjpOp runs a Func's VJP: inputs (in..., gOut), output the packed gradients.
type vjpOp struct{ fwd *funcOp }

func (op *vjpOp) Arity() int    { return op.fwd.Arity() + 1 }
func (op *vjpOp) Type() hm.Type { return fnType(op.Arity()) }
func (op *vjpOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	total := 0
	for _, s := range op.fwd.f.InSizes() {
		total += s
	}
	return tensor.Shape{total}, nil
}
func (op *vjpOp) ReturnsPtr() bool      { return false }
func (op *vjpOp) CallsExtern() bool     { return false }
func (op *vjpOp) OverwritesInput() int  { return -1 }
func (op *vjpOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "vjp(%s)", op.fwd.String()) }
func (op *vjpOp) Hashcode() uint32      { return hashOf(op.String()) }
func (op *vjpOp) String() string        { return "vjp(" + op.fwd.String() + ")" }

func (op *vjpOp) Do(values ...G.Value) (G.Value, error) {
	in, err := op.fwd.inputs(values)
	if err != nil {
		return nil, err
	}
	gOut, err := vectorData(values[len(values)-1])
	if err != nil {
		return nil, err
	}
	sizes := op.fwd.f.InSizes()
	total := 0
	for _, s := range sizes {
		total += s
	}
	packed := make([]float64, total)
	gIn := make([][]float64, len(sizes))
	off := 0
	for i, s := range sizes {
		gIn[i] = packed[off : off+s]
		off += s
	}
	if err := op.fwd.f.VJP(in, gOut, gIn); err != nil {
		return nil, err
	}
	return newVector(packed), nil
}

// pieceOp copies values [off, off+n) out of a packed vector of length total.
type pieceOp struct {
	off, n, total int
	tag           string
	out           []float64 // reused from span to span, as funcOp.out
}

func (op *pieceOp) Arity() int    { return 1 }
func (op *pieceOp) Type() hm.Type { return fnType(1) }
func (op *pieceOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return tensor.Shape{op.n}, nil
}
func (op *pieceOp) ReturnsPtr() bool     { return false }
func (op *pieceOp) CallsExtern() bool    { return false }
func (op *pieceOp) OverwritesInput() int { return -1 }
func (op *pieceOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "piece(%s)[%d:%d]/%d", op.tag, op.off, op.off+op.n, op.total)
}
func (op *pieceOp) Hashcode() uint32 { return hashOf(op.String()) }
func (op *pieceOp) String() string {
	return fmt.Sprintf("piece(%s)[%d:%d]", op.tag, op.off, op.off+op.n)
}

func (op *pieceOp) Do(values ...G.Value) (G.Value, error) {
	d, err := vectorData(values[0])
	if err != nil {
		return nil, err
	}
	if len(d) != op.total {
		return nil, fmt.Errorf("graph: %s got %d values, want %d", op, len(d), op.total)
	}
	if len(op.out) != op.n {
		op.out = make([]float64, op.n)
	}
	copy(op.out, d[op.off:op.off+op.n])
	return newVector(op.out), nil
}

// Graph wraps a Gorgonia expression graph for adding Funcs to it.
type Graph struct {
	G *G.ExprGraph
}

// opIDs numbers every custom op in the process, so that two ops with
// equal names and inputs (two frames' cell steps reading one theta) never
// hash alike and Gorgonia never merges them, whoever built the graph.
var opIDs atomic.Int64

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{G: G.NewGraph()} }

// Apply adds a node computing f of the input nodes.
func (g *Graph) Apply(f Func, inputs ...*G.Node) (*G.Node, error) {
	if d, ok := f.(dualFunc); ok && d.memo == nil {
		d.memo = new(dualMemo) // the node's own: one memo per step of a graph
		f = d
	}
	n, err := G.ApplyOp(&funcOp{f: f, id: int(opIDs.Add(1))}, inputs...)
	if err != nil {
		return nil, fmt.Errorf("graph: %s: %w", f.Name(), err)
	}
	return n, nil
}

// Vector adds a named float64 vector input node holding value.
func (g *Graph) Vector(name string, value []float64) *G.Node {
	return G.NewVector(g.G, tensor.Float64, G.WithShape(len(value)), G.WithName(name), G.WithValue(newVector(value)))
}
