//go:build linux

package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slowRender is a run of a few seconds or more whose progress lines show
// when the render has started: 250 000 pixels x 4 subpixels x 60 mosaic
// domains.
var slowRender = strings.Fields(`-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -distance 100
	-pixel 0.1 -detpixels 500 -oversample 2 -mosaic 0.5 -mosaic_dom 60 -seed 1`)

// waitSignalled waits for cmd to end (killing it after a timeout) and
// checks that the signal ended it.
func waitSignalled(t *testing.T, cmd interface{ Wait() error }, state func() *os.ProcessState, kill func(), sig syscall.Signal) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		kill()
		<-done
		t.Fatalf("gobragg still running 30 s after %v", sig)
	}
	ws, ok := state().Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != sig {
		t.Errorf("gobragg ended with %v, want killed by %v", state(), sig)
	}
}

// leftovers lists what a stopped run left in dir beside the files given.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	var out []string
	for _, n := range listDir(t, dir) {
		kept := false
		for _, k := range keep {
			kept = kept || n == k
		}
		if !kept {
			out = append(out, n)
		}
	}
	return out
}

// TestInterruptDuringRender sends SIGINT and SIGTERM to gobragg processes
// while they render: each must end by that signal with one line on stderr,
// leaving no output or temporary file, and the log read from its stdout
// pipe must already hold nanoBragg's banner and progress lines (they are
// flushed as C flushes them, not held until the end).
func TestInterruptDuringRender(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cmd := gobraggCommand(t, dir, slowRender...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			pipe, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				log.WriteString(sc.Text() + "\n")
				if strings.HasSuffix(sc.Text(), "% done") {
					break
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			for sc.Scan() {
				log.WriteString(sc.Text() + "\n")
			}
			waitSignalled(t, cmd, func() *os.ProcessState { return cmd.ProcessState }, func() { cmd.Process.Kill() }, sig)
			for _, want := range []string{"mosaic domains", "0% done"} {
				if !strings.Contains(log.String(), want) {
					t.Errorf("log of the interrupted run lacks %q:\n%s", want, log.String())
				}
			}
			if strings.Contains(log.String(), "writing ") {
				t.Errorf("the render finished before the signal; make it slower:\n%s", log.String())
			}
			if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "stopped by") {
				t.Errorf("stderr %q, want one line saying the run was stopped", stderr.String())
			}
			if left := leftovers(t, dir); len(left) != 0 {
				t.Errorf("interrupted render left %v", left)
			}
		})
	}
}

// TestInterruptDuringWrite sends SIGINT and SIGTERM to gobragg processes in
// their write phase: the float image goes to a named pipe that nobody
// reads, so the run waits there with the SMV images already written to
// their temporary files. Each must end by the signal, leave no temporary
// and no output file, and leave the pipe a pipe; its log must show the
// lines up to the file being written.
func TestInterruptDuringWrite(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			fifo := filepath.Join(dir, "float.pipe")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			cmd := gobraggCommand(t, dir, "-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "3",
				"-detpixels", "32", "-pixel", "0.4", "-distance", "100", "-oversample", "1", "-floatfile", "float.pipe", "-pgmfile", "image.pgm")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for !hasTemporary(t, dir) {
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("no temporary file appeared in %s; stderr %s", dir, stderr.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			waitSignalled(t, cmd, func() *os.ProcessState { return cmd.ProcessState }, func() { cmd.Process.Kill() }, sig)
			// The log is flushed line by line in the write phase.
			for _, want := range []string{"solid angle subtended", "writing float.pipe", "writing intimage.img"} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("log of the interrupted write lacks %q:\n%s", want, stdout.String())
				}
			}
			if left := leftovers(t, dir, "float.pipe"); len(left) != 0 {
				t.Errorf("interrupted write left %v", left)
			}
			if st, err := os.Lstat(fifo); err != nil || st.Mode().Type() != fs.ModeNamedPipe {
				t.Errorf("the named pipe was replaced (%v, %v)", st, err)
			}
		})
	}
}

func hasTemporary(t *testing.T, dir string) bool {
	for _, n := range listDir(t, dir) {
		if strings.Contains(n, ".tmp-") {
			return true
		}
	}
	return false
}

// TestInterruptGradient sends SIGTERM to gobragg gradient -hkl while it
// computes: it ends by the signal, and since it writes no file (no
// Fdump.bin, no temporary folder) it leaves nothing in the working
// directory or under TMPDIR.
func TestInterruptGradient(t *testing.T) {
	m := goldenOrSkip(t)
	tmp, work := t.TempDir(), t.TempDir()
	args := append([]string{"gradient", "-wrt", "distance", "-hkl", filepath.Join(m.Dir, "inputs", "pattern.hkl")},
		without(slowRender, "-default_F")...)
	cmd := gobraggCommand(t, work, args...)
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // into the render, which takes seconds
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitSignalled(t, cmd, func() *os.ProcessState { return cmd.ProcessState }, func() { cmd.Process.Kill() }, syscall.SIGTERM)
	if left := listDir(t, tmp); len(left) != 0 {
		t.Errorf("interrupted gradient left %v in TMPDIR", left)
	}
	if left := listDir(t, work); len(left) != 0 {
		t.Errorf("interrupted gradient left %v in its directory; stderr %s", left, stderr.String())
	}
}

// without returns args without option opt and its one value.
func without(args []string, opt string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		if args[i] == opt {
			i++
			continue
		}
		out = append(out, args[i])
	}
	return out
}
