package main

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// baseArgs is a small valid simulation that writes every default output
// (floatimage.bin, intimage.img, noiseimage.img, image.pgm).
var baseArgs = []string{"-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "5",
	"-lambda", "1", "-distance", "100", "-pixel", "0.1", "-detpixels", "32", "-oversample", "1", "-seed", "1", "-noprogress"}

// smvFile returns an SMV (ADSC) image of fast x slow unsigned shorts with
// only nData bytes of pixel data (nData < 0: all of it).
func smvFile(fast, slow, nData int) string {
	h := "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\nSIZE1=" +
		strconv.Itoa(fast) + ";\nSIZE2=" + strconv.Itoa(slow) + ";\nPIXEL_SIZE=0.1;\n}\f"
	h += strings.Repeat(" ", 512-len(h))
	if nData < 0 {
		nData = 2 * fast * slow
	}
	return h + strings.Repeat("\x01\x00", nData/2)
}

// badInput is one command line gobragg must refuse (see badInputs).
type badInput struct {
	name   string
	args   []string
	noBase bool
	files  map[string]string
	want   string
	// runaway marks a run that would take hours or all memory: it must be
	// refused within runawaySeconds.
	runaway bool
	// specOnly marks a value c-parity mode accepts, as C does, with a
	// warning (TestWarnings); the other validation cases are also run in
	// c-parity mode.
	specOnly bool
	// memoryBytes, when set, is the run's memory estimate: the case is
	// skipped on a machine where that much would fit (it would run).
	memoryBytes float64
}

// runawaySeconds is how fast a runaway run must be refused (issue 11).
const runawaySeconds = 1.0

// badInputs is the table of command lines gobragg must refuse. args are
// appended to baseArgs unless noBase is set (later options win). files are
// created in the working directory first. want is text the one-line error
// must contain: the file or option at fault.
var badInputs = []badInput{
	{name: "missing hkl file", args: []string{"-hkl", "missing.hkl"}, want: "missing.hkl"},
	{name: "empty hkl file", args: []string{"-hkl", "empty.hkl"}, files: map[string]string{"empty.hkl": ""}, want: "empty.hkl"},
	{name: "malformed hkl line", args: []string{"-hkl", "bad.hkl"}, files: map[string]string{"bad.hkl": "1 2 3 10\n1 2 x 5\n"}, want: "bad.hkl"},
	{name: "hkl with too few columns", args: []string{"-hkl", "short.hkl"}, files: map[string]string{"short.hkl": "1 2 3\n2 3 4\n"}, want: "short.hkl"},
	{name: "hkl is a directory", args: []string{"-hkl", "."}, want: "."},
	{name: "missing mat file", args: []string{"-mat", "missing.mat"}, want: "missing.mat"},
	{name: "malformed matrix (8 numbers)", args: []string{"-mat", "bad.mat"},
		files: map[string]string{"bad.mat": "0.01 0 0\n0 0.01 0\n0 0\n"}, want: "bad.mat"},
	{name: "NaN distance", args: []string{"-distance", "nan"}, want: "-distance"},
	{name: "infinite Xbeam", args: []string{"-Xbeam", "inf"}, want: "-Xbeam"},
	{name: "zero pixels", args: []string{"-detpixels", "0"}, want: "-detpixels"},
	{name: "negative pixel size", args: []string{"-pixel", "-0.1"}, want: "-pixel"},
	{name: "zero wavelength", args: []string{"-lambda", "0"}, want: "-lambda"},
	{name: "impossible cell", args: []string{"-cell", "10", "10", "10", "170", "170", "170"}, want: "cell"},
	{name: "unknown option", args: []string{"-foo"}, want: "-foo"},
	{name: "misspelt option", args: []string{"-distnace", "100"}, want: "-distnace"},
	{name: "missing value at the end", args: []string{"-distance"}, want: "-distance"},
	{name: "too few values at the end", args: []string{"-misset", "1", "2"}, want: "-misset"},
	{name: "non-numeric value", args: []string{"-distance", "abc"}, want: "-distance"},
	{name: "non-integer count", args: []string{"-detpixels_x", "10.5"}, want: "-detpixels_x"},
	{name: "roi min above max", args: []string{"-roi", "10", "5", "0", "20"}, want: "-roi"},
	{name: "roi outside detector", args: []string{"-roi", "0", "40", "0", "10"}, want: "-roi"},
	{name: "zero beam vector", args: []string{"-beam_vector", "0", "0", "0"}, want: "beam_vector"},
	{name: "missing sourcefile", args: []string{"-sourcefile", "missing.src"}, want: "missing.src"},
	{name: "malformed sourcefile", args: []string{"-sourcefile", "bad.src"},
		files: map[string]string{"bad.src": "0 0 0 1 1e-10\nfoo bar\n"}, want: "bad.src"},
	{name: "missing mask file", args: []string{"-mask", "missing.img"}, want: "missing.img"},
	{name: "mask that is not SMV", args: []string{"-mask", "text.img"}, files: map[string]string{"text.img": "hello world\n"}, want: "text.img"},
	{name: "truncated mask", args: []string{"-mask", "short.img"}, files: map[string]string{"short.img": smvFile(32, 32, 100)}, want: "short.img"},
	{name: "mask of another size", args: []string{"-mask", "m8.img", "-detpixels", "32"}, files: map[string]string{"m8.img": smvFile(8, 8, -1)}, want: "-mask"},
	{name: "bogus mode", args: []string{"-mode", "bogus"}, want: "-mode"},
	{name: "trace pixel outside detector", args: []string{"-trace_pixel", "500", "5"}, want: "trace"},
	{name: "negative trace pixel", args: []string{"-trace_pixel", "5", "-1"}, want: "trace"},
	// Errors found after the structure factors are read must not leave
	// the Fdump.bin cache behind either.
	{name: "hkl then malformed sourcefile", args: []string{"-hkl", "good.hkl", "-sourcefile", "bad.src"},
		files: map[string]string{"good.hkl": "1 2 3 10\n0 0 1 5\n", "bad.src": "0 0 0 1 1e-10\nfoo bar\n"}, want: "bad.src"},
	{name: "hkl then trace pixel outside", args: []string{"-hkl", "good.hkl", "-trace_pixel", "500", "5"},
		files: map[string]string{"good.hkl": "1 2 3 10\n0 0 1 5\n"}, want: "trace"},
	// An output that cannot be written must not leave the others.
	{name: "intfile in a missing directory", args: []string{"-intfile", "nodir/int.img"}, want: "nodir/int.img"},
	{name: "noisefile in a missing directory", args: []string{"-noisefile", "nodir/noise.img"}, want: "nodir/noise.img"},
	// The subcommands refuse bad input the same way.
	{name: "compare missing image", noBase: true, args: []string{"compare", "a.bin", "b.bin", "-detpixels", "4"}, want: "a.bin"},
	{name: "tracediff missing trace", noBase: true, args: []string{"tracediff", "c.log", "go.log"}, want: "c.log"},
}

// TestBadInput runs every bad command line in an empty directory and checks
// that gobragg exits non-zero without panicking, prints exactly one line on
// stderr naming the bad input, and leaves no file behind (no image, no
// temporary file, no Fdump.bin).
func TestBadInput(t *testing.T) {
	// Control: the base command line alone succeeds and writes files, so
	// an empty directory after a bad run is meaningful.
	dir := t.TempDir()
	mustRun(t, dir, baseArgs...)
	if got := listDir(t, dir); len(got) == 0 {
		t.Fatal("the valid base command wrote no file")
	}
	all := append(append(append([]badInput{}, badInputs...), validationBadInputs...), headerBadInputs...)
	for _, tc := range append(append([]badInput{}, validationBadInputs...), headerBadInputs...) {
		if tc.specOnly || tc.noBase && (len(tc.args) == 0 || !strings.HasPrefix(tc.args[0], "-")) {
			continue // subcommands have no mode
		}
		c := tc
		c.name += " (c-parity)"
		c.args = append([]string{"-mode", "c-parity"}, tc.args...)
		if c.noBase {
			c.args = append(c.args[:2:2], tc.args...)
		}
		all = append(all, c)
	}
	if len(validationBadInputs) < 40 {
		t.Fatalf("only %d validation bad inputs", len(validationBadInputs))
	}
	names := map[string]bool{}
	for _, tc := range all {
		if names[tc.name] {
			t.Fatalf("bad input %q listed twice", tc.name)
		}
		names[tc.name] = true
	}
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			if tc.memoryBytes > 0 && tc.memoryBytes <= 0.8*availableMemory(t) {
				t.Skipf("this machine has room for the %g bytes: the run would not be refused", tc.memoryBytes)
			}
			dir := t.TempDir()
			var before []string
			for name, content := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				before = append(before, name)
			}
			sort.Strings(before)
			args := tc.args
			if !tc.noBase {
				args = append(append([]string{}, baseArgs...), tc.args...)
			}
			start := time.Now()
			r := runIn(t, dir, args...)
			if sec := time.Since(start).Seconds(); tc.runaway && sec > runawaySeconds {
				t.Errorf("refused after %.2f s, want within %g s", sec, runawaySeconds)
			}
			if r.panicked != "" {
				t.Fatalf("panic: %s", r.panicked)
			}
			if r.code == 0 {
				t.Errorf("exit status 0, want non-zero")
			}
			lines := strings.Count(r.stderr, "\n")
			if !strings.HasSuffix(r.stderr, "\n") {
				lines++
			}
			if r.stderr == "" {
				lines = 0
			}
			if lines != 1 {
				t.Errorf("stderr has %d lines, want exactly one:\n%s", lines, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q does not name %q", strings.TrimSpace(r.stderr), tc.want)
			}
			after := listDir(t, dir)
			if len(after) == 0 {
				after = nil
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("directory holds %v after the run, want only the inputs %v (exit %d, stderr %q)", after, before, r.code, strings.TrimSpace(r.stderr))
			}
		})
	}
}

// availableMemory returns MemAvailable in bytes, skipping the test where
// /proc/meminfo does not tell.
func availableMemory(t *testing.T) float64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Skipf("no /proc/meminfo: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	t.Skip("no MemAvailable in /proc/meminfo")
	return 0
}
