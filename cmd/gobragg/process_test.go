package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// asMainEnv, set in the environment, makes the test binary run gobragg's
// main with its arguments instead of the tests, so that tests can start
// gobragg as a real process (to signal it) without building it first.
const asMainEnv = "GOBRAGG_TEST_RUN_MAIN"

// peakFileEnv names a file into which such a process writes its peak
// resident memory (VmHWM, e.g. "31234 kB") when it ends by returning from
// main. The rusage of the child cannot tell it: at exec the child records
// the high-water mark of the memory it shared with the test process until
// then (vfork), so a large test process makes every child look large.
const peakFileEnv = "GOBRAGG_TEST_PEAK_FILE"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		os.Args = append([]string{"gobragg"}, os.Args[1:]...)
		code := runMain()
		if path := os.Getenv(peakFileEnv); path != "" {
			os.WriteFile(path, []byte(vmHWM()), 0o644)
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// vmHWM is this process's peak resident memory as /proc/self/status
// gives it ("" where there is none).
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// gobraggCommand returns an exec.Cmd that runs gobragg args in dir as a
// separate process.
func gobraggCommand(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	return cmd
}
