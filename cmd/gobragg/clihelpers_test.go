package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"

	"gobragg/internal/golden"
)

// goldenOrSkip loads the golden manifest of C nanoBragg outputs, skipping the
// test when the folder is absent. It must be called before any chdir, since
// the folder is found from the working directory.
func goldenOrSkip(t *testing.T) *golden.Manifest {
	t.Helper()
	m, err := golden.Load()
	if err != nil {
		t.Skipf("%v: skipping parity test", err)
	}
	return m
}

// absInputs returns a copy of args in which every value naming a golden
// input ("inputs/...") is made absolute under dir, so that the command can
// run in an empty temporary directory.
func absInputs(dir string, args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.HasPrefix(a, "inputs/") {
			a = filepath.Join(dir, filepath.FromSlash(a))
		}
		out[i] = a
	}
	return out
}

// cliResult is what one in-process run of the command produced.
type cliResult struct {
	code           int
	stdout, stderr string
	panicked       string // the panic value and stack, "" when run returned
}

// runIn runs the command (run) with args in working directory dir, as
// "cd dir && gobragg args..." would, restoring the working directory
// afterwards. A panic is caught and reported in the result, never
// propagated. Tests that use runIn must not call t.Parallel.
func runIn(t *testing.T, dir string, args ...string) (res cliResult) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := os.Chdir(wd); err != nil {
			t.Fatalf("restore working directory %s: %v", wd, err)
		}
	}()
	var stdout, stderr bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			res = cliResult{code: -1, stdout: stdout.String(), stderr: stderr.String(),
				panicked: fmt.Sprintf("%v\n%s", r, debug.Stack())}
		}
	}()
	code := run(args, &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun is runIn that fails the test unless the command exits 0.
func mustRun(t *testing.T, dir string, args ...string) cliResult {
	t.Helper()
	r := runIn(t, dir, args...)
	if r.panicked != "" {
		t.Fatalf("gobragg %s panicked: %s", strings.Join(args, " "), r.panicked)
	}
	if r.code != 0 {
		t.Fatalf("gobragg %s: exit status %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// listDir returns the sorted names of the entries of dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// argValue returns the value following option name in args (the last one
// wins, as on the command line), or def when the option is absent.
func argValue(args []string, name, def string) string {
	v := def
	for i := 0; i+1 < len(args); i++ {
		if args[i] == name {
			v = args[i+1]
		}
	}
	return v
}

// checkRefused checks a refused run of the command: exit status 2, one
// line on stderr that mentions every string of want, and no file written
// in out.
func checkRefused(t *testing.T, out string, res cliResult, want []string) {
	t.Helper()
	if res.code != 2 {
		t.Errorf("exit %d, want 2 (stderr %q)", res.code, res.stderr)
	}
	if n := strings.Count(strings.TrimRight(res.stderr, "\n"), "\n"); n != 0 || res.stderr == "" {
		t.Errorf("stderr is not one line: %q", res.stderr)
	}
	for _, w := range want {
		if !strings.Contains(res.stderr, w) {
			t.Errorf("stderr %q does not mention %q", res.stderr, w)
		}
	}
	if files := listDir(t, out); len(files) != 0 {
		t.Errorf("wrote %v", files)
	}
}
