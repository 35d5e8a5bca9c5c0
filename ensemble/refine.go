package ensemble

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"gonum.org/v1/gonum/optimize"

	"gobragg/imageio"
	"gobragg/mpi"
	"gobragg/refine"
)

// ErrNothingMeasured is returned when the shots measure no parameter of
// the table: a table without the shots' reflections, or shots without spots.
var ErrNothingMeasured = errors.New("ensemble: nothing to refine")

// ErrCheckpoint is returned when a checkpoint to resume from cannot be
// read or belongs to another run.
var ErrCheckpoint = errors.New("-resume: checkpoint")

// Commands rank 0 broadcasts to the others.
const (
	cmdStop = iota
	cmdEvaluate
	cmdInformation
)

// run is one refinement's state on one rank.
type run struct {
	p    *Problem
	s    Settings
	c    mpi.Comm
	np   int
	x0   []float64 // ln F at the start
	bins []int
	// measured lists the parameters with Fisher information at the start,
	// stepNorm their standard errors at the start of the epoch (the
	// normalised unit), x0 being ln F there.
	measured []int
	stepNorm []float64
}

// Refine fits the table. Every rank of s.Comm calls it with its own block
// of the shots; rank 0 gets the refined table.
func Refine(p *Problem, s Settings) (*Result, error) {
	r := &run{p: p, s: s, c: s.Comm, np: p.Table.Len()}
	if r.c == nil {
		r.c = mpi.Single{}
	}
	if r.s.MaxIterations == 0 {
		r.s.MaxIterations = 500
	}
	if r.s.EpochIterations == 0 {
		r.s.EpochIterations = 20
	}
	if r.s.GradientThreshold == 0 {
		r.s.GradientThreshold = 1e-3
	}
	start := p.Start
	if start == nil {
		start = p.Table.F0
	}
	if len(start) != r.np {
		return nil, fmt.Errorf("ensemble: %d starting amplitudes for %d parameters", len(start), r.np)
	}
	r.x0 = make([]float64, r.np)
	for i, f := range start {
		if !(f > 0) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("ensemble: starting amplitude %v of %v is not positive", f, p.Table.HKL[i])
		}
		r.x0[i] = math.Log(f)
	}
	nb := p.Bins
	if nb == 0 {
		nb = DefaultBins
	}
	r.bins = p.Table.Bins(nb)
	// Every rank computes the information at the start without a command
	// (all of them know x0): it decides which parameters are measured.
	info, err := r.local(cmdInformation, r.x0)
	if err != nil {
		return nil, err
	}
	// The Fisher information of ln F is 4 (I/sigma(I))^2.
	for q := 0; q < r.np; q++ {
		if info[1+q] >= 4*float64(refine.MinFSignal*refine.MinFSignal) {
			r.measured = append(r.measured, q)
		}
	}
	if len(r.measured) == 0 {
		return nil, fmt.Errorf("%w: no reflection of the table reaches I/sigma(I) >= %d in the shots' fitted pixels", ErrNothingMeasured, refine.MinFSignal)
	}
	if r.c.Rank() != 0 {
		return r.follow()
	}
	return r.lead()
}

// restraintInformation is the restraint's Fisher information per ln F.
func (r *run) restraintInformation() float64 {
	if r.p.RestraintSigma > 0 {
		return 1 / (r.p.RestraintSigma * r.p.RestraintSigma)
	}
	return 0
}

// collective evaluates cmd at x on every rank and returns the ordered sum
// (index 0 the loss, 1+p parameter p, the last the number of ranks that
// failed). Rank 0 first broadcasts the command and x.
func (r *run) collective(cmd int, x []float64) ([]float64, error) {
	if r.c.Rank() == 0 && r.c.Size() > 1 {
		buf := append([]float64{float64(cmd)}, x...)
		if err := r.c.Bcast(0, buf); err != nil {
			return nil, err
		}
	}
	return r.local(cmd, x)
}

// local adds this rank's terms to the ordered sum of cmd at x.
func (r *run) local(cmd int, x []float64) ([]float64, error) {
	var terms []mpi.Term
	var first error
	for _, sh := range r.p.Shots {
		var t mpi.Term
		var err error
		if cmd == cmdEvaluate {
			t, err = sh.evaluate(r.p.Table, x)
		} else {
			t, err = sh.information(r.p.Table, x)
		}
		if err != nil {
			first = err
			break
		}
		terms = append(terms, t)
	}
	if first != nil {
		// The others still need this rank's part of the chain.
		terms = []mpi.Term{{Index: []int{r.np + 1}, Value: []float64{1}}}
	}
	sum := make([]float64, r.np+2)
	if err := mpi.OrderedSum(r.c, terms, sum); err != nil {
		return nil, err
	}
	if first != nil {
		return nil, fmt.Errorf("ensemble: rank %d: %w", r.c.Rank(), first)
	}
	if n := sum[r.np+1]; n > 0 {
		return nil, fmt.Errorf("ensemble: %g other rank(s) failed to evaluate their shots (their errors are on their own stderr)", n)
	}
	return sum, nil
}

// follow is the loop of ranks other than 0: evaluate what rank 0 asks.
func (r *run) follow() (*Result, error) {
	buf := make([]float64, 1+r.np)
	for {
		if err := r.c.Bcast(0, buf); err != nil {
			return nil, err
		}
		switch int(buf[0]) {
		case cmdStop:
			return &Result{Converged: buf[1] == 1}, nil
		case cmdEvaluate, cmdInformation:
			if _, err := r.local(int(buf[0]), buf[1:]); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("ensemble: rank %d: unknown command %g from rank 0", r.c.Rank(), buf[0])
		}
	}
}

// stop tells the other ranks that the fit is over.
func (r *run) stop(converged bool) error {
	if r.c.Size() == 1 {
		return nil
	}
	buf := make([]float64, 1+r.np)
	buf[0] = cmdStop
	if converged {
		buf[1] = 1
	}
	return r.c.Bcast(0, buf)
}

// maxStepLnF is the largest normalised unit in ln F: a factor e in F.
const maxStepLnF = 1.0

// normalise makes x the origin of the normalised variables, one unit of
// each being the parameter's standard error at x.
func (r *run) normalise(x []float64) error {
	info, err := r.collective(cmdInformation, x)
	if err != nil {
		return err
	}
	r.x0 = append(r.x0[:0], x...)
	r.stepNorm = r.stepNorm[:0]
	for _, q := range r.measured {
		// A unit is at most maxStepLnF: an amplitude near zero carries
		// almost no information, and a step of its standard error would
		// throw it to infinity.
		r.stepNorm = append(r.stepNorm, math.Min(maxStepLnF, 1/math.Sqrt(info[1+q]+r.restraintInformation())))
	}
	return nil
}

// values returns ln F of every parameter for the normalised variables z.
func (r *run) values(z []float64) []float64 {
	x := append([]float64(nil), r.x0...)
	for j, q := range r.measured {
		x[q] += z[j] * r.stepNorm[j]
	}
	return x
}

// restraint returns the restraint's loss at x and adds its gradient to g
// (by ln F).
func (r *run) restraint(x, g []float64) float64 {
	sig := r.p.RestraintSigma
	if !(sig > 0) {
		return 0
	}
	nb := 0
	for _, b := range r.bins {
		nb = max(nb, b+1)
	}
	mean, n := make([]float64, nb), make([]float64, nb)
	for q, v := range x {
		mean[r.bins[q]] += v
		n[r.bins[q]]++
	}
	for b := range mean {
		mean[b] /= n[b]
	}
	// The bin mean moves with every measured value of its bin: dm/dx_q = 1/n.
	resid := make([]float64, nb)
	loss := 0.0
	for _, q := range r.measured {
		d := (x[q] - mean[r.bins[q]]) / sig
		loss += 0.5 * d * d
		resid[r.bins[q]] += d / sig
		g[q] += d / sig
	}
	for _, q := range r.measured {
		g[q] -= resid[r.bins[q]] / n[r.bins[q]]
	}
	return loss
}

// lead runs the optimiser on rank 0.
func (r *run) lead() (*Result, error) {
	res := &Result{}
	x := append([]float64(nil), r.x0...)
	epoch, total := 0, 0
	if r.s.Resume {
		ck, err := readCheckpoint(r.s.Checkpoint)
		if err != nil {
			return nil, errors.Join(err, r.stop(false))
		}
		if ck.Fingerprint != r.s.Fingerprint {
			return nil, errors.Join(fmt.Errorf("%w: %s is of another command line or other shots", ErrCheckpoint, r.s.Checkpoint), r.stop(false))
		}
		if len(ck.LnF) != r.np {
			return nil, errors.Join(fmt.Errorf("%w: %s has %d parameters, this run %d", ErrCheckpoint, r.s.Checkpoint, len(ck.LnF), r.np), r.stop(false))
		}
		copy(x, ck.LnF)
		epoch, total, res.Resumed = ck.Epoch, ck.Iterations, ck.Epoch
	}
	var cacheZ, cacheG []float64
	var cacheL float64
	var evalErr error
	eval := func(zz []float64) (float64, []float64) {
		if cacheZ != nil && equalBits(zz, cacheZ) {
			return cacheL, cacheG
		}
		x := r.values(zz)
		sum, err := r.collective(cmdEvaluate, x)
		if err != nil {
			if evalErr == nil {
				evalErr = err
			}
			return math.NaN(), make([]float64, len(zz))
		}
		gx := sum[1 : 1+r.np]
		loss := sum[0] + r.restraint(x, gx)
		g := make([]float64, len(zz))
		for j, q := range r.measured {
			g[j] = gx[q] * r.stepNorm[j]
		}
		cacheZ, cacheL, cacheG = append([]float64(nil), zz...), loss, g
		return loss, g
	}
	prob := optimize.Problem{
		Func: func(zz []float64) float64 { l, _ := eval(zz); return l },
		Grad: func(g, zz []float64) { _, gg := eval(zz); copy(g, gg) },
	}
	t0 := time.Now()
	for {
		if total >= r.s.MaxIterations {
			res.Reason = fmt.Sprintf("the iteration limit (%d) was reached", r.s.MaxIterations)
			break
		}
		// Each epoch measures in standard errors at its own start: the
		// information of a weak reflection changes with its F.
		if err := r.normalise(x); err != nil {
			return nil, errors.Join(err, r.stop(false))
		}
		cacheZ = nil
		z := make([]float64, len(r.measured))
		settings := &optimize.Settings{MajorIterations: min(r.s.EpochIterations, r.s.MaxIterations-total),
			GradientThreshold: r.s.GradientThreshold, Converger: &optimize.FunctionConverge{Relative: 1e-14, Iterations: 5}}
		out, err := optimize.Minimize(prob, z, settings, &optimize.LBFGS{})
		if evalErr != nil {
			return nil, errors.Join(evalErr, r.stop(false))
		}
		if out == nil {
			return nil, errors.Join(fmt.Errorf("ensemble: %w", err), r.stop(false))
		}
		epoch++
		total += out.Stats.MajorIterations
		x = r.values(out.X)
		if r.s.Checkpoint != "" {
			if err := writeCheckpoint(r.s.Checkpoint, checkpoint{Fingerprint: r.s.Fingerprint, Epoch: epoch, Iterations: total, LnF: x}); err != nil {
				return nil, errors.Join(err, r.stop(false))
			}
		}
		res.Loss = out.F
		if r.s.Progress != nil {
			r.s.Progress(Epoch{Epoch: epoch, Iterations: total, Loss: out.F, Status: out.Status.String(), Elapsed: time.Since(t0)})
		}
		if out.Status == optimize.GradientThreshold || out.Status == optimize.FunctionConvergence {
			res.Converged = true
			break
		}
		if out.Status != optimize.IterationLimit {
			res.Reason = fmt.Sprintf("L-BFGS stopped: %v (%v)", out.Status, err)
			break
		}
	}
	res.Iterations, res.Epochs = total, epoch
	res.F = make([]float64, r.np)
	res.Sigma = make([]float64, r.np)
	res.Measured = make([]bool, r.np)
	for q := range x {
		res.F[q] = math.Exp(x[q])
		res.Sigma[q] = math.NaN()
	}
	if res.Converged {
		info, err := r.collective(cmdInformation, x)
		if err != nil {
			return nil, errors.Join(err, r.stop(false))
		}
		for _, q := range r.measured {
			res.Measured[q] = true
			res.Sigma[q] = res.F[q] / math.Sqrt(info[1+q]+r.restraintInformation())
		}
	}
	return res, r.stop(res.Converged)
}

func equalBits(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

// checkpoint is the state after an epoch: ln F of every parameter (the
// next epoch's normalisation is computed from it).
type checkpoint struct {
	Fingerprint string    `json:"fingerprint"`
	Epoch       int       `json:"epoch"`
	Iterations  int       `json:"iterations"`
	LnF         []float64 `json:"ln_f"`
}

func writeCheckpoint(path string, ck checkpoint) error {
	return imageio.WriteFileAtomic(path, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(ck)
	})
}

func readCheckpoint(path string) (checkpoint, error) {
	var ck checkpoint
	data, err := os.ReadFile(path)
	if err != nil {
		return ck, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	if err := json.Unmarshal(data, &ck); err != nil {
		return ck, fmt.Errorf("%w: %s: %v", ErrCheckpoint, path, err)
	}
	for _, v := range ck.LnF {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ck, fmt.Errorf("%w: %s holds a value that is not finite", ErrCheckpoint, path)
		}
	}
	return ck, nil
}
