package graph

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"gobragg/crystal"
)

// tracer prints the per-subpath quantities of one pixel as "TRACE_GO:" lines
// with the names, order and units of C's instrumented "TRACE_C:" lines, so
// that the two traces can be compared line by line.
type tracer struct {
	forwardPass // the hooks it does not override
	w           io.Writer
	phiDeg      []float64 // phi of every step, degrees
	carried     []bool    // phi step uses the carried-over (phi-final) lattice
	cparity     bool
	firstRow    bool // the current subpath is C's first one (row 0)

	det        []float64
	pos, d     [3]float64
	air, omega float64

	// The last subpath's values, which nanoBragg's -printout reports.
	lastStol, lastFLatt, lastFCell float64
	lastHKL                        miller
	lastLattice                    [9]float64 // a, b, c in metres
}

// g15 formats like C's %.15g.
func g15(x float64) string { return strconv.FormatFloat(x, 'g', 15, 64) }

func (t *tracer) line(name string, v ...float64) {
	if t.w == nil {
		return
	}
	fmt.Fprintf(t.w, "TRACE_GO: %s", name)
	for _, x := range v {
		fmt.Fprintf(t.w, " %s", g15(x))
	}
	fmt.Fprintln(t.w)
}

// The trace's hooks (see observer): it follows the general stage.

func (t *tracer) sumStage(sumKind) sumStage { return sumTerms }

func (t *tracer) beginSubpixel(st *pixelState, sub *subpixel) {
	t.det = st.in.det
	t.pos, t.air, t.d = sub.pos, sub.airpath, sub.d
}

func (t *tracer) source(st *pixelState, _ *subpixel, p *subpath) {
	S := p.S
	t.lastStol = 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
	if p.src == 0 {
		t.omega = st.fac[facOmega]
		t.sourceLines(p.inc, p.lambda, S)
	}
}

func (t *tracer) latticeTerm(st *pixelState, p *subpath, tm *term) {
	t.firstRow = p.row == 0
	t.lastHKL = tm.hkl
	t.lastFLatt = tm.fl.F
	copy(t.lastLattice[:], tm.L)
	if p.src == 0 && tm.m == 0 {
		t.lattice(tm.t, tm.L, st.in.recip, tm.hkl, &tm.fl, st.s.Shape)
	}
}

func (t *tracer) term(_ *pixelState, p *subpath, tm *term) {
	t.lastFCell = tm.fc.F
	if p.src == 0 && tm.m == 0 && tm.t == 0 {
		t.cell(tm.fc.F)
	}
}

func (t *tracer) sourceLines(inc [3]float64, lambda float64, S [3]float64) {
	det := t.det
	t.line("pix0_vector_meters", det[detPix0], det[detPix0+1], det[detPix0+2])
	t.line("fdet_vec", det[detFast], det[detFast+1], det[detFast+2])
	t.line("sdet_vec", det[detSlow], det[detSlow+1], det[detSlow+2])
	t.line("pixel_pos_meters", t.pos[0], t.pos[1], t.pos[2])
	t.line("R_distance_meters", t.air)
	t.line("omega_pixel_sr", t.omega)
	t.line("close_distance_meters", det[detClose])
	t.line("obliquity_factor", det[detClose]/t.air)
	t.line("diffracted_vec", t.d[0], t.d[1], t.d[2])
	t.line("incident_vec", inc[0], inc[1], inc[2])
	t.line("lambda_meters", lambda)
	t.line("lambda_angstroms", lambda*1e10)
	t.line("scattering_vec_A_inv", S[0], S[1], S[2])
}

func (t *tracer) lattice(phiTic int, L, recip []float64, m miller, fl *latticeValue, shape crystal.Shape) {
	if phiTic == 0 {
		t.line("rot_a_angstroms", L[0]*1e10, L[1]*1e10, L[2]*1e10)
		t.line("rot_b_angstroms", L[3]*1e10, L[4]*1e10, L[5]*1e10)
		t.line("rot_c_angstroms", L[6]*1e10, L[7]*1e10, L[8]*1e10)
		t.line("rot_a_star_A_inv", recip[0], recip[1], recip[2])
		t.line("rot_b_star_A_inv", recip[3], recip[4], recip[5])
		t.line("rot_c_star_A_inv", recip[6], recip[7], recip[8])
		t.line("hkl_frac", m.h, m.k, m.l)
		if t.w != nil {
			fmt.Fprintf(t.w, "TRACE_GO: hkl_rounded %d %d %d\n", int(m.h0), int(m.k0), int(m.l0))
		}
		if t.cparity && t.w != nil {
			c := 0
			if phiTic < len(t.carried) && t.carried[phiTic] && !t.firstRow {
				c = 1
			}
			fmt.Fprintf(t.w, "TRACE_GO: phi0_carryover %d\n", c)
		}
	}
	if shape != crystal.Square {
		return
	}
	if phiTic == 0 {
		t.line("F_latt_a", fl.fa)
		t.line("F_latt_b", fl.fb)
		t.line("F_latt_c", fl.fc)
		t.line("F_latt", fl.F)
	}
	if t.w == nil {
		return
	}
	phi := 0.0
	if phiTic < len(t.phiDeg) {
		phi = t.phiDeg[phiTic]
	}
	fmt.Fprintf(t.w, "TRACE_GO_PHI phi_tic=%d phi_deg=%s k_frac=%s F_latt_b=%s F_latt=%s\n",
		phiTic, g15(phi), g15(m.k), g15(fl.fb), g15(fl.F))
}

func (t *tracer) cell(F float64) { t.line("F_cell", F) }
