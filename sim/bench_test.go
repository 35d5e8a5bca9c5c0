package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"gobragg/internal/golden"
)

// The benchmarks here print tables whose ratios compare figures measured in
// the same run, at the same thread count (GOMAXPROCS for gobragg,
// OMP_NUM_THREADS for C), with the runs interleaved so that a drift of the
// machine's speed moves both sides. Environment:
//
//	NANOBRAGG_C=/path/to/nanoBragg  compare with the user's own C build
//	BENCH_RUNS=n                    interleaved runs per figure (default 3)
//	BENCH_LARGE=1                   add the 1024x1024 row

// benchJSONArgs is golden/bench.json's configuration on a pixels x pixels
// detector: 400 subpaths per pixel (4 subpixels x 10 phi steps x 10 mosaic
// domains), default_F only.
func benchJSONArgs(pixels int) []string {
	return []string{"-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "10",
		"-mosaic", "0.5", "-mosaic_dom", "10", "-mosaic_seed", "1234", "-phisteps", "10", "-osc", "0.5",
		"-oversample", "2", "-distance", "100", "-pixel", "0.1", "-detpixels", strconv.Itoa(pixels), "-lambda", "1",
		"-floatfile", "floatimage.bin", "-intfile", "intimage.img", "-nonoise", "-nopgm", "-noprogress"}
}

// benchArgs is the same configuration with a triclinic misset, a tilted
// detector, polarization and water, so that every geometry parameter
// matters to the gradient.
func benchArgs(pixels int) []string {
	return []string{"-cell", "100", "100", "100", "90", "90", "90", "-misset", "10", "20", "30",
		"-default_F", "100", "-N", "10", "-mosaic", "0.5", "-mosaic_dom", "10", "-mosaic_seed", "1234",
		"-phisteps", "10", "-osc", "0.5", "-oversample", "2", "-distance", "100", "-pixel", "0.1",
		"-detpixels", fmt.Sprint(pixels), "-lambda", "1", "-polar", "0.9", "-water", "2",
		"-detector_rotx", "0.5", "-twotheta", "1", "-nonoise", "-nopgm", "-noprogress"}
}

func benchRuns() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_RUNS")); err == nil && n > 0 {
		return n
	}
	return 3
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// procRun is one whole-process run: wall and CPU seconds, peak RSS in MB.
type procRun struct{ wall, cpu, peakMB float64 }

// launchEnv makes the test binary a launcher: Linux carries a process's
// peak RSS across exec, and os/exec starts children from this (large)
// process's memory, so a child's own peak is measured from a small one.
const launchEnv = "GOBRAGG_BENCH_LAUNCH"

func init() {
	if argv := os.Getenv(launchEnv); argv != "" {
		os.Exit(launch(argv))
	}
}

// launch runs the JSON argv and prints its wall and CPU seconds and peak
// RSS (MB) as JSON.
func launch(argv string) int {
	var args []string
	if err := json.Unmarshal([]byte(argv), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%v\n%s", err, out.Bytes())
		return 1
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	json.NewEncoder(os.Stdout).Encode(map[string]float64{"wall": wall,
		"cpu": float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, "peakMB": float64(ru.Maxrss) / 1024})
	return 0
}

// runProcess runs bin with args in dir at the given thread count, through
// the launcher.
func runProcess(b *testing.B, bin string, args []string, dir string, threads int) procRun {
	argv, _ := json.Marshal(append([]string{bin}, args...))
	cmd := exec.Command(os.Args[0])
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), launchEnv+"="+string(argv),
		"OMP_NUM_THREADS="+strconv.Itoa(threads), "GOMAXPROCS="+strconv.Itoa(threads))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s %v: %v\n%s", bin, args, err, stderr.Bytes())
	}
	var r map[string]float64
	if err := json.Unmarshal(out, &r); err != nil {
		b.Fatalf("launcher: %v: %s", err, out)
	}
	return procRun{wall: r["wall"], cpu: r["cpu"], peakMB: r["peakMB"]}
}

// buildGobragg builds the command into a temporary directory.
func buildGobragg(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "gobragg")
	cmd := exec.Command("go", "build", "-o", bin, "gobragg/cmd/gobragg")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// benchCase is one row of the performance table.
type benchCase struct {
	name     string
	args     []string // without -mode
	subpaths int      // pixels x subpaths per pixel
	gradient []string // arguments for the in-process gradient/forward ratio, nil for none
	gradDir  string
}

func benchCases(b *testing.B) []benchCase {
	var cs []benchCase
	sizes := []int{256, 512}
	if os.Getenv("BENCH_LARGE") != "" {
		sizes = append(sizes, 1024)
	}
	for _, n := range sizes {
		cs = append(cs, benchCase{name: fmt.Sprintf("bench.json %dx%d", n, n), args: benchJSONArgs(n),
			subpaths: n * n * 400, gradient: benchArgs(128)})
	}
	if m, err := golden.Load(); err == nil {
		if args, ok := supervisorFrameArgs(m); ok {
			cs = append(cs, benchCase{name: "supervisor frame 2463x2527", args: args, subpaths: 2463 * 2527 * 10})
		}
	} else {
		b.Logf("no supervisor row: %v", err)
	}
	return cs
}

// supervisorFrameArgs returns the full supervisor frame's command line
// (the supervisor_roi case without its -roi, inputs under the manifest's
// directory).
func supervisorFrameArgs(m *golden.Manifest) ([]string, bool) {
	c, ok := m.Case("supervisor_roi")
	if !ok {
		return nil, false
	}
	var args []string
	for i := 0; i < len(c.Args); i++ {
		switch c.Args[i] {
		case "-roi":
			i += 4
			continue
		case "-mat", "-hkl":
			args = append(args, c.Args[i], filepath.Join(m.Dir, c.Args[i+1]))
			i++
			continue
		}
		args = append(args, c.Args[i])
	}
	return args, true
}

// BenchmarkPerformanceTable prints, for each configuration, gobragg's
// ns/subpath in spec and c-parity mode (whole process, wall), its time
// ratio to C nanoBragg at the same thread count when NANOBRAGG_C is set
// (otherwise to a plain scalar Go loop over the same subpaths, measured in
// the same run), the gradient/forward time ratio and the peak memory.
func BenchmarkPerformanceTable(b *testing.B) {
	bin := buildGobragg(b)
	cBin := os.Getenv("NANOBRAGG_C")
	threads := runtime.GOMAXPROCS(0)
	runs := benchRuns()
	vs := "plain Go loop"
	if cBin != "" {
		vs = "C"
	}
	fmt.Printf("\n%d threads, %d interleaved runs, medians; gobragg and C as whole processes (wall; cpu: user+system); peak RSS floor about 10 MB (the launcher)\n", threads, runs)
	fmt.Printf("| configuration | pixels x subpaths | spec ns/subpath | c-parity ns/subpath | spec/%s | c-parity/%s | gradient/forward spec, c-parity | peak MB spec, c-parity%s |\n",
		vs, vs, map[bool]string{true: ", C", false: ""}[cBin != ""])
	fmt.Println("|---|---|---|---|---|---|---|---|")
	gradCell := ""
	for _, c := range benchCases(b) {
		dir := b.TempDir()
		var spec, cpar, cres []procRun
		var rSpec, rCpar, cSpec, cCpar []float64
		for r := 0; r < runs; r++ {
			var base procRun
			if cBin != "" {
				base = runProcess(b, cBin, c.args, dir, threads)
				cres = append(cres, base)
			} else {
				base = plainLoop(c.subpaths, threads)
			}
			s := runProcess(b, bin, append([]string{"-mode", "spec"}, c.args...), dir, threads)
			p := runProcess(b, bin, append([]string{"-mode", "c-parity"}, c.args...), dir, threads)
			spec, cpar = append(spec, s), append(cpar, p)
			rSpec, rCpar = append(rSpec, s.wall/base.wall), append(rCpar, p.wall/base.wall)
			cSpec, cCpar = append(cSpec, s.cpu/base.cpu), append(cCpar, p.cpu/base.cpu)
		}
		wall := func(v []procRun) float64 { return median(field(v, func(r procRun) float64 { return r.wall })) }
		peak := func(v []procRun) float64 { return median(field(v, func(r procRun) float64 { return r.peakMB })) }
		grad := "-"
		if c.gradient != nil {
			if gradCell == "" { // the same for every bench.json row
				gs := gradientRatio(b, c.gradient, "spec", runs)
				gc := gradientRatio(b, c.gradient, "c-parity", runs)
				gradCell = fmt.Sprintf("%.2f, %.2f (128x128, %s)", gs.ratio, gc.ratio, gs.what)
			}
			grad = gradCell
		}
		mem := fmt.Sprintf("%.0f, %.0f", peak(spec), peak(cpar))
		if cBin != "" {
			mem += fmt.Sprintf(", %.0f", peak(cres))
		}
		ns := func(v []procRun) float64 { return wall(v) * 1e9 / float64(c.subpaths) }
		fmt.Printf("| %s | %d | %.1f | %.1f | %.2f (cpu %.2f) | %.2f (cpu %.2f) | %s | %s |\n", c.name, c.subpaths, ns(spec), ns(cpar),
			median(rSpec), median(cSpec), median(rCpar), median(cCpar), grad, mem)
	}
}

func field(v []procRun, f func(procRun) float64) []float64 {
	out := make([]float64, len(v))
	for i, r := range v {
		out[i] = f(r)
	}
	return out
}

type gradRatio struct {
	ratio float64
	what  string
}

// gradientRatio times the full gradient (every parameter and every
// structure factor, reverse mode) against the forward pass, interleaved,
// in process, by CPU time.
func gradientRatio(b *testing.B, args []string, mode string, runs int) gradRatio {
	p := mustPrepare(b, "", append([]string{"-mode", mode}, args...)...)
	var ratios []float64
	for r := 0; r < runs; r++ {
		// Process CPU time: robust against other load on a shared machine.
		start := processCPU()
		if _, err := p.Loss(); err != nil {
			b.Fatal(err)
		}
		fwd := processCPU() - start
		start = processCPU()
		if _, _, _, err := p.Gradient(); err != nil {
			b.Fatal(err)
		}
		ratios = append(ratios, (processCPU()-start)/fwd)
	}
	return gradRatio{ratio: median(ratios), what: fmt.Sprintf("%d parameters + F", p.Exp.Params.Len())}
}

var plainSink float64

// processCPU returns this process's user + system seconds so far.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// plainLoop is the yardstick without C: the same number of subpaths
// through a plain scalar Go loop (three dot products, three sincg with
// math.Sin, F_cell² F_latt² accumulated), split over the same threads,
// timed in this process (wall and CPU).
func plainLoop(subpaths, threads int) procRun {
	start, cpu0 := time.Now(), processCPU()
	var wg sync.WaitGroup
	sums := make([]float64, threads)
	for w := 0; w < threads; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			L := [9]float64{1e-8, 2e-10, 3e-10, -1e-10, 1e-8, 4e-10, 2e-10, -3e-10, 1e-8}
			sum := 0.0
			for i := w; i < subpaths; i += threads {
				S := [3]float64{float64(i%997) * 1e6, float64(i%991) * 1.1e6, float64(i%983) * 0.9e6}
				h := L[0]*S[0] + L[1]*S[1] + L[2]*S[2]
				k := L[3]*S[0] + L[4]*S[1] + L[5]*S[2]
				l := L[6]*S[0] + L[7]*S[1] + L[8]*S[2]
				F := plainSincg(math.Pi*h, 10) * plainSincg(math.Pi*k, 10) * plainSincg(math.Pi*l, 10)
				sum += 100 * 100 * F * F
			}
			sums[w] = sum
		}(w)
	}
	wg.Wait()
	for _, s := range sums {
		plainSink += s
	}
	return procRun{wall: time.Since(start).Seconds(), cpu: processCPU() - cpu0}
}

func plainSincg(x, n float64) float64 {
	if x == 0 {
		return n
	}
	return math.Sin(n*x) / math.Sin(x)
}

// BenchmarkScaling prints the forward time (spec mode, in process) of the
// bench configuration with 100 subpaths per pixel from 64x64 to 2048x2048
// pixels: ns/subpath stays flat when time is linear in pixels x subpaths.
func BenchmarkScaling(b *testing.B) {
	fmt.Printf("\n%d threads, spec mode, forward pass in process, median of %d\n", runtime.GOMAXPROCS(0), benchRuns())
	fmt.Println("| detector | pixels x subpaths | seconds | ns/subpath |")
	fmt.Println("|---|---|---|---|")
	for n := 64; n <= 2048; n *= 2 {
		args := append([]string{"-mode", "spec"}, benchJSONArgs(n)...)
		for i := range args {
			if args[i] == "-oversample" {
				args[i+1] = "1"
			}
		}
		p := mustPrepare(b, "", args...)
		var t []float64
		for r := 0; r < benchRuns(); r++ {
			start := time.Now()
			if _, err := p.Loss(); err != nil {
				b.Fatal(err)
			}
			t = append(t, time.Since(start).Seconds())
		}
		sub := n * n * 100
		fmt.Printf("| %dx%d | %d | %.3f | %.1f |\n", n, n, sub, median(t), median(t)*1e9/float64(sub))
	}
}
