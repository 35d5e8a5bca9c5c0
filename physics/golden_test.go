package physics

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gobragg/internal/golden"
)

// The golden traces print every value with %.15g, so each printed number
// carries a relative rounding of up to 5e-15. printRel is that bound; every
// tolerance below is this rounding propagated through the formula.
const printRel = 5e-15

// goldenCase is one run of the C program with a trace.
type goldenCase struct {
	name   string
	args   []string
	blocks []map[string][]float64 // per-subpath TRACE_C values, in order
	extra  map[string][]float64   // other numeric lines (DETECTOR_*)
	tail   map[string][]float64   // per-pixel values printed after the loops
}

// arg returns the values following flag in the argument list.
func (g goldenCase) arg(flag string, n int) ([]float64, bool) {
	i := slices.Index(g.args, flag)
	if i < 0 || i+n >= len(g.args) {
		return nil, false
	}
	out := make([]float64, n)
	for j := range n {
		v, err := strconv.ParseFloat(g.args[i+1+j], 64)
		if err != nil {
			return nil, false
		}
		out[j] = v
	}
	return out, true
}

func (g goldenCase) has(flag string) bool { return slices.Contains(g.args, flag) }

// crystalSize returns Na, Nb, Nc as nanoBragg would set them from -N, -Na,
// -Nb, -Nc (default 1).
func (g goldenCase) crystalSize() (na, nb, nc float64) {
	na, nb, nc = 1, 1, 1
	if v, ok := g.arg("-N", 1); ok {
		na, nb, nc = v[0], v[0], v[0]
	}
	if v, ok := g.arg("-Na", 1); ok {
		na = v[0]
	}
	if v, ok := g.arg("-Nb", 1); ok {
		nb = v[0]
	}
	if v, ok := g.arg("-Nc", 1); ok {
		nc = v[0]
	}
	return
}

// loadGolden reads the manifest and every case that has a trace.log.
func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	m := golden.Require(t)
	var out []goldenCase
	for _, c := range m.Cases {
		path := filepath.Join(m.Dir, c.Name, "trace.log")
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		g := goldenCase{name: c.Name, args: c.Args, extra: map[string][]float64{}, tail: map[string][]float64{}}
		sc := bufio.NewScanner(f)
		var cur map[string][]float64
		for sc.Scan() {
			line := sc.Text()
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			switch {
			case fields[0] == "TRACE_C:" && !strings.Contains(fields[1], "="):
				key := fields[1]
				vals := parseFloats(fields[2:])
				if key == "pix0_vector_meters" { // first line of each subpath block
					cur = map[string][]float64{}
					g.blocks = append(g.blocks, cur)
				}
				switch {
				case key == "capture_fraction" || key == "polar" || key == "omega_pixel":
					g.tail[key] = vals
				case cur != nil:
					if _, dup := cur[key]; !dup {
						cur[key] = vals
					}
				}
			case strings.HasPrefix(fields[0], "DETECTOR_"):
				g.extra[fields[0]] = parseFloats(fields[1:])
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		t.Skipf("no trace.log files under %s: skipping parity test", m.Dir)
	}
	return out
}

func parseFloats(fields []string) []float64 {
	var out []float64
	for _, s := range fields {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return out
		}
		out = append(out, v)
	}
	return out
}

func TestGoldenLatticeSquare(t *testing.T) {
	n, worst := 0, 0.0
	for _, g := range loadGolden(t) {
		if g.has("-round_xtal") || g.has("-gauss_xtal") || g.has("-tophat_spots") || g.has("-sample_size") {
			continue
		}
		na, nb, nc := g.crystalSize()
		for bi, b := range g.blocks {
			hkl, ok := b["hkl_frac"]
			if !ok || b["F_latt_a"] == nil {
				continue
			}
			n++
			ns := [3]float64{na, nb, nc}
			names := [3]string{"F_latt_a", "F_latt_b", "F_latt_c"}
			var fac, noise [3]float64
			for i := range 3 {
				want := b[names[i]][0]
				fac[i] = 1
				slope := 0.0
				if ns[i] > 1 {
					x := math.Pi * hkl[i]
					fac[i] = Sincg(x, ns[i])
					slope = math.Pi * SincgDx(x, ns[i])
					// C's quotient has its own rounding noise, up to an ulp of
					// x and of x·n over sin(x); it changes from one x to the
					// next, so a printed h cannot reproduce it. Near a peak it
					// dominates (1e-12 relative at h−h0 ≈ 1e-4).
					noise[i] = 2 * (ulp(x*ns[i]) + ns[i]*ulp(x)) / math.Abs(math.Sin(x))
				}
				noise[i] += math.Abs(slope) * printRel * math.Abs(hkl[i])
				tol := 2*printRel*math.Abs(want) + noise[i]
				worst = math.Max(worst, math.Abs(fac[i]-want)/math.Abs(want))
				if math.Abs(fac[i]-want) > tol {
					t.Errorf("%s block %d: %s: Sincg(π·%v, %v) = %.17g, C %.15g (diff %.3g, tol %.3g)",
						g.name, bi, names[i], hkl[i], ns[i], fac[i], want, fac[i]-want, tol)
				}
			}
			f := LatticeSquare(hkl[0], hkl[1], hkl[2], na, nb, nc)
			want := b["F_latt"][0]
			tol := 2*printRel*math.Abs(want) +
				noise[0]*math.Abs(fac[1]*fac[2]) + noise[1]*math.Abs(fac[0]*fac[2]) + noise[2]*math.Abs(fac[0]*fac[1])
			if math.Abs(f-want) > tol {
				t.Errorf("%s block %d: LatticeSquare = %.17g, C %.15g (tol %.3g)", g.name, bi, f, want, tol)
			}
			if r := b["hkl_rounded"]; r != nil {
				for i := range 3 {
					if float64(RoundHalfUp(hkl[i])) != r[i] {
						t.Errorf("%s block %d: RoundHalfUp(%v) = %d, C %v", g.name, bi, hkl[i], RoundHalfUp(hkl[i]), r[i])
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no F_latt blocks found in the golden traces")
	}
	t.Logf("%d traced subpaths checked; worst relative difference of a sincg factor %.2g", n, worst)
}

func TestGoldenPolarization(t *testing.T) {
	n := 0
	for _, g := range loadGolden(t) {
		want, ok := g.tail["polar"]
		if !ok || len(g.blocks) == 0 || g.has("-nopolar") {
			continue
		}
		kahn := 0.0
		if v, ok := g.arg("-polar", 1); ok {
			kahn = v[0]
		}
		if kahn != 0 {
			continue // the traces do not print the polarization axis
		}
		// polar is cached per pixel (first subpath) unless oversampled
		b := g.blocks[0]
		if g.has("-oversample_polar") {
			b = g.blocks[len(g.blocks)-1]
		}
		inc, dif := b["incident_vec"], b["diffracted_vec"]
		if len(inc) != 3 || len(dif) != 3 {
			continue
		}
		n++
		got := Polarization(kahn, [3]float64{inc[0], inc[1], inc[2]}, [3]float64{dif[0], dif[1], dif[2]}, [3]float64{0, 0, 1})
		// P = (1+cos²2θ)/2 with cos2θ from printed unit vectors: error ≲ 3·printRel
		if math.Abs(got-want[0]) > 4*printRel {
			t.Errorf("%s: Polarization = %.17g, C %.15g", g.name, got, want[0])
		}
	}
	if n == 0 {
		t.Fatal("no polarization values found in the golden traces")
	}
	t.Logf("%d traced pixels checked", n)
}

func TestGoldenSolidAngle(t *testing.T) {
	n := 0
	for _, g := range loadGolden(t) {
		pixel := 0.1 / 1000.0
		if v, ok := g.arg("-pixel", 1); ok {
			pixel = v[0] / 1000.0
		}
		blocks := g.blocks
		if !g.has("-oversample_omega") && len(blocks) > 0 {
			blocks = blocks[:1] // omega is cached from the first subpath
		}
		for bi, b := range blocks {
			om, r, cl := b["omega_pixel_sr"], b["R_distance_meters"], b["close_distance_meters"]
			if om == nil || r == nil || cl == nil {
				continue
			}
			n++
			got := SolidAngle(pixel, r[0], cl[0], g.has("-point_pixel"))
			if !closeTo(got, om[0], 6*printRel, 0) {
				t.Errorf("%s block %d: SolidAngle = %.17g, C %.15g", g.name, bi, got, om[0])
			}
		}
	}
	if n == 0 {
		t.Fatal("no omega values found in the golden traces")
	}
	t.Logf("%d traced subpaths checked", n)
}

func TestGoldenCaptureFraction(t *testing.T) {
	n := 0
	for _, g := range loadGolden(t) {
		want, ok := g.tail["capture_fraction"]
		thick, okT := g.arg("-detector_thick", 1)
		abs, okA := g.arg("-detector_abs", 1)
		steps, okS := g.arg("-detector_thicksteps", 1)
		odet := g.extra["DETECTOR_NORMAL_AXIS"]
		if !ok || !okT || !okA || !okS || len(odet) != 3 || len(g.blocks) == 0 {
			continue
		}
		// range and number of layers given: step = thick/(steps-1)
		thickM := thick[0] * 1e-6
		mu := 1.0 / (abs[0] * 1e-6)
		layers := int(steps[0])
		step := thickM / float64(layers-1)
		// the printed value is the last one computed: last layer, last
		// subpath (its first subpath unless -oversample_thick, and the
		// traced runs with several layers and no -oversample_thick have one
		// subpath per layer)
		d := g.blocks[len(g.blocks)-1]["diffracted_vec"]
		parallax := dot([3]float64{d[0], d[1], d[2]}, [3]float64{odet[0], odet[1], odet[2]})
		got, dpar, _, _ := CaptureFractionGrad(layers-1, step, mu, parallax)
		tol := 2*printRel*math.Abs(want[0]) + 3*printRel*math.Abs(dpar*parallax)
		n++
		if math.Abs(got-want[0]) > tol {
			t.Errorf("%s: CaptureFraction(%d, %v, %v, %v) = %.17g, C %.15g (tol %.3g)", g.name, layers-1, step, mu, parallax, got, want[0], tol)
		}
	}
	if n == 0 {
		t.Fatal("no detector-absorption traces found")
	}
	t.Logf("%d traced pixels checked", n)
}

func TestGoldenInterpolatedFcell(t *testing.T) {
	dir := golden.Require(t).Dir
	var g goldenCase
	for _, c := range loadGolden(t) {
		if c.has("-interpolate") {
			g = c
		}
	}
	if g.name == "" {
		t.Skip("no traced -interpolate case in the golden data")
	}
	hklPath := g.args[slices.Index(g.args, "-hkl")+1]
	fs, err := readHKL(filepath.Join(dir, hklPath))
	if err != nil {
		t.Fatal(err)
	}
	b := g.blocks[0]
	hkl, want := b["hkl_frac"], b["F_cell"]
	var ha, ka, la [4]float64
	var f [4][4][4]float64
	for j := range 4 {
		ha[j] = math.Floor(hkl[0]) - 1 + float64(j)
		ka[j] = math.Floor(hkl[1]) - 1 + float64(j)
		la[j] = math.Floor(hkl[2]) - 1 + float64(j)
	}
	for i := range 4 {
		for j := range 4 {
			for m := range 4 {
				key := [3]int{int(ha[i]), int(ka[j]), int(la[m])}
				v, ok := fs[key]
				if !ok {
					t.Fatalf("%s: %v missing from %s", g.name, key, hklPath)
				}
				f[i][j][m] = v
			}
		}
	}
	got, dh, dk, dl, _ := Polin3Grad(ha, ka, la, &f, hkl[0], hkl[1], hkl[2])
	tol := 2*printRel*math.Abs(want[0]) + printRel*(math.Abs(dh*hkl[0])+math.Abs(dk*hkl[1])+math.Abs(dl*hkl[2]))
	if math.Abs(got-want[0]) > tol {
		t.Errorf("%s: Polin3 at %v = %.17g, C F_cell %.15g (tol %.3g)", g.name, hkl, got, want[0], tol)
	}
}

// readHKL reads "h k l F" lines.
func readHKL(path string) (map[[3]int]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[[3]int]float64{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		p := strings.Fields(sc.Text())
		if len(p) < 4 {
			continue
		}
		var idx [3]int
		for i := range 3 {
			v, err := strconv.Atoi(p[i])
			if err != nil {
				return nil, fmt.Errorf("hkl %s line %d: %w", path, n, err)
			}
			idx[i] = v
		}
		v, err := strconv.ParseFloat(p[3], 64)
		if err != nil {
			return nil, fmt.Errorf("hkl %s line %d: %w", path, n, err)
		}
		out[idx] = v
	}
	return out, sc.Err()
}
