package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileMaxPeakMB is the peak resident memory a refused hostile input may
// cost: the bound, far above the ~30 MB a refusal really takes and
// far below the gigabytes an unchecked size field allocates.
const hostileMaxPeakMB = 200

// hostileTimeout bounds one hostile run; a refusal takes milliseconds, so
// a run this long is a hang (a FIFO opened twice, a loop on a bad size).
const hostileTimeout = 60 * time.Second

// hostileResult is what one run of gobragg as a separate process did.
type hostileResult struct {
	code   int
	stdout string
	stderr string
	peakMB float64
}

// runHostile runs gobragg args in dir as a separate process (so that a
// panic, an out-of-memory death and the peak memory are the process's
// own), killing it after hostileTimeout. The peak is the one the process
// reports (peakFileEnv), else its rusage, which is never lower.
func runHostile(t *testing.T, dir string, args ...string) hostileResult {
	t.Helper()
	cmd := gobraggCommand(t, dir, args...)
	peakFile := filepath.Join(t.TempDir(), "peak")
	cmd.Env = append(cmd.Env, peakFileEnv+"="+peakFile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(hostileTimeout):
		cmd.Process.Kill()
		<-done
		t.Fatalf("gobragg %s: still running after %v (a hang)", strings.Join(args, " "), hostileTimeout)
	}
	peakKB := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	if b, err := os.ReadFile(peakFile); err == nil {
		if kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(string(b)), " kB"), 64); err == nil {
			peakKB = kb
		}
	}
	return hostileResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(),
		stderr: stderr.String(), peakMB: peakKB / 1024}
}

// dirState maps every regular file under dir (relative path) to the hash
// of its contents, and every other entry to its kind, so that a test can
// tell that a refused run changed, added or removed nothing.
func dirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	state := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			state[rel] = info.Mode().Type().String()
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		state[rel] = string(sum[:])
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return state
}

// diffState lists the paths whose state differs between before and after.
func diffState(before, after map[string]string) []string {
	var changed []string
	for p, s := range after {
		if b, ok := before[p]; !ok {
			changed = append(changed, "added "+p)
		} else if b != s {
			changed = append(changed, "changed "+p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, "removed "+p)
		}
	}
	sort.Strings(changed)
	return changed
}

// expectRefused runs gobragg args in dir and fails the test unless the run
// exits 2 with exactly one line on stderr containing want, does not panic,
// leaves every file under dir as it was, and peaks below hostileMaxPeakMB.
func expectRefused(t *testing.T, dir, want string, args ...string) hostileResult {
	t.Helper()
	before := dirState(t, dir)
	r := runHostile(t, dir, args...)
	name := "gobragg " + strings.Join(args, " ")
	if r.code != 2 {
		t.Errorf("%s: exit status %d, want 2; stderr:\n%s", name, r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
		t.Errorf("%s: panicked:\n%s", name, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], want) {
		t.Errorf("%s: stderr %q, want one line containing %q", name, r.stderr, want)
	}
	if r.peakMB > hostileMaxPeakMB {
		t.Errorf("%s: peak memory %.0f MB, want below %d MB", name, r.peakMB, hostileMaxPeakMB)
	}
	if d := diffState(before, dirState(t, dir)); len(d) > 0 {
		t.Errorf("%s: the refused run touched files: %v", name, d)
	}
	return r
}

func TestRunHostileMeasuresPeakMemory(t *testing.T) {
	// The harness must see a refusal as cheap and a real allocation as
	// expensive, or its memory bound could never fail.
	// The measure is the child's own even when the test process is large
	// (its rusage would report the test process's 300 MB).
	dir := t.TempDir()
	ballast := make([]byte, 300<<20)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1
	}
	r := runHostile(t, dir, "-lambda", "-1")
	runtime.KeepAlive(ballast)
	ballast = nil
	if r.code != 2 || r.peakMB <= 0 || r.peakMB > hostileMaxPeakMB {
		t.Fatalf("refused run: exit %d, peak %.1f MB", r.code, r.peakMB)
	}
	big := runHostile(t, dir, "-cell", "50", "50", "50", "90", "90", "90", "-detpixels", "2000", "-N", "1", "-default_F", "1", "-floatfile", "big.bin", "-noprogress")
	if big.code != 0 || big.peakMB < 2000*2000*8/1e6 {
		t.Fatalf("a 2000x2000 run: exit %d, peak %.1f MB; the harness does not see its allocations", big.code, big.peakMB)
	}
}
