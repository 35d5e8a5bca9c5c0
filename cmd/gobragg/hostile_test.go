package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
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

// Environment variables of launch.
const (
	// launchEnv, set to 1, makes the test binary run launch instead of the tests.
	launchEnv = "GOBRAGG_TEST_LAUNCH"
	// peakFileEnv names the file where launch writes the peak memory (kB).
	peakFileEnv = "GOBRAGG_TEST_PEAK_FILE"
)

// launch runs gobragg args as the child of this freshly started process,
// with its standard streams, and writes the child's peak resident memory
// (ru_maxrss, in kB) to the file named by $GOBRAGG_TEST_PEAK_FILE; it
// returns the child's exit status (128+N when signal N killed it). Linux
// counts in a child's ru_maxrss the memory of the process that started it
// (exec records the parent's high-water mark), so a test binary grown by
// earlier tests cannot start gobragg itself and measure gobragg's peak:
// launch, small, starts it instead.
func launch(args []string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "launch:", err)
		return 125
	}
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, launchEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, asMainEnv+"=1")
	if err := cmd.Run(); cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "launch:", err)
		return 125
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if err := os.WriteFile(os.Getenv(peakFileEnv), []byte(strconv.FormatInt(int64(ru.Maxrss), 10)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "launch:", err)
		return 125
	}
	if ws := cmd.ProcessState.Sys().(syscall.WaitStatus); ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}

// runHostile runs gobragg args in dir as a separate process (so that a
// panic, an out-of-memory death and the peak memory are the process's
// own), started by launch, killing both after hostileTimeout.
func runHostile(t *testing.T, dir string, args ...string) hostileResult {
	t.Helper()
	peakFile := filepath.Join(t.TempDir(), "peak-kB")
	cmd := gobraggCommand(t, dir, args...)
	cmd.Env = append(cmd.Env, launchEnv+"=1", peakFileEnv+"="+peakFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // gobragg joins launch's group
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
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		t.Fatalf("gobragg %s: still running after %v (a hang)", strings.Join(args, " "), hostileTimeout)
	}
	b, err := os.ReadFile(peakFile)
	if err != nil {
		t.Fatalf("gobragg %s: no peak memory from launch (%v); stderr:\n%s", strings.Join(args, " "), err, stderr.String())
	}
	kB, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return hostileResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(),
		stderr: stderr.String(), peakMB: float64(kB) / 1024}
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
	// expensive, or its memory bound could never fail; and a refusal stays
	// cheap while the test binary itself holds more than the bound (as it
	// does after tests that render in-process), which must not be counted.
	dir := t.TempDir()
	ballast := make([]byte, (hostileMaxPeakMB+50)<<20)
	for i := range ballast {
		ballast[i] = 1 // resident, not just reserved
	}
	r := runHostile(t, dir, "-lambda", "-1")
	runtime.KeepAlive(ballast)
	ballast = nil
	debug.FreeOSMemory()
	if r.code != 2 || r.peakMB <= 0 || r.peakMB > hostileMaxPeakMB {
		t.Fatalf("refused run: exit %d, peak %.1f MB", r.code, r.peakMB)
	}
	big := runHostile(t, dir, "-cell", "50", "50", "50", "90", "90", "90", "-detpixels", "2000", "-N", "1", "-default_F", "1", "-floatfile", "big.bin", "-noprogress")
	if big.code != 0 || big.peakMB < 2000*2000*8/1e6 {
		t.Fatalf("a 2000x2000 run: exit %d, peak %.1f MB; the harness does not see its allocations", big.code, big.peakMB)
	}
}
