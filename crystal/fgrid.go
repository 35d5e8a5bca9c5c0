package crystal

// FGrid is the dense table of structure factors F(h,k,l) for
// Hmin <= h <= Hmax, Kmin <= k <= Kmax, Lmin <= l <= Lmax.
type FGrid struct {
	Hmin, Hmax, Kmin, Kmax, Lmin, Lmax int
	// F holds the table h-major: F[((h-Hmin)*nk + (k-Kmin))*nl + (l-Lmin)]
	// with nk = Kmax-Kmin+1 and nl = Lmax-Lmin+1 (see Index).
	F []float64
	// Count is nanoBragg's hkls: the number of reflections read from an hkl
	// file (duplicates included), or the number of table points for a table
	// read from an Fdump file. Lookup uses the table only when Count > 0.
	Count int
}

// NewFGrid builds the table spanning the index ranges of refl. Points not
// listed hold defaultF (nanoBragg prefills -default_F when it is non-zero
// and leaves zeros otherwise, which is the same thing); a reflection listed
// twice keeps its last F. An empty refl gives an empty table (Count 0) for
// which Lookup always returns its default. The caller bounds the table
// size: lists from ReadHKL need at most MaxGridPoints points.
func NewFGrid(refl []Reflection, defaultF float64) *FGrid {
	if len(refl) == 0 {
		return &FGrid{Hmax: -1, Kmax: -1, Lmax: -1}
	}
	lo, hi := extent(refl)
	g := &FGrid{Hmin: lo[0], Hmax: hi[0], Kmin: lo[1], Kmax: hi[1], Lmin: lo[2], Lmax: hi[2], Count: len(refl)}
	g.F = make([]float64, g.size())
	if defaultF != 0 {
		for i := range g.F {
			g.F[i] = defaultF
		}
	}
	for _, r := range refl {
		i, _ := g.Index(r.H, r.K, r.L)
		g.F[i] = r.F
	}
	return g
}

// ranges returns the number of h, k and l values in the table.
func (g *FGrid) ranges() (nh, nk, nl int) {
	return g.Hmax - g.Hmin + 1, g.Kmax - g.Kmin + 1, g.Lmax - g.Lmin + 1
}

// size returns the number of table points (0 for an empty table).
func (g *FGrid) size() int {
	nh, nk, nl := g.ranges()
	if nh <= 0 || nk <= 0 || nl <= 0 {
		return 0
	}
	return nh * nk * nl
}

// Index returns the position of (h,k,l) in F and true, or 0 and false when
// (h,k,l) lies outside the table.
func (g *FGrid) Index(h, k, l int) (int, bool) {
	if h < g.Hmin || h > g.Hmax || k < g.Kmin || k > g.Kmax || l < g.Lmin || l > g.Lmax {
		return 0, false
	}
	_, nk, nl := g.ranges()
	return ((h-g.Hmin)*nk+(k-g.Kmin))*nl + (l - g.Lmin), true
}

// Lookup returns F(h,k,l) by nanoBragg's nearest-neighbour rule: the table
// value when the table is loaded (Count > 0) and (h,k,l) is inside it,
// defaultF otherwise. A nil grid always gives defaultF.
func (g *FGrid) Lookup(h, k, l int, defaultF float64) float64 {
	if g == nil || g.Count == 0 {
		return defaultF
	}
	if i, ok := g.Index(h, k, l); ok && i < len(g.F) {
		return g.F[i]
	}
	return defaultF
}
