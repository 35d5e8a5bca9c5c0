package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gobragg/imageio"
)

// interrupted is set when SIGINT or SIGTERM has arrived: the process is
// about to end by that signal.
var interrupted atomic.Bool

// cleanups are what the signal handler removes beside imageio's temporary
// files (see onInterrupt).
var cleanups struct {
	mu  sync.Mutex
	fns map[int]func()
	n   int
}

// onInterrupt registers f to run if a signal stops the program (for
// temporary files and folders of the program's own); remove unregisters it,
// for a normal return that cleans up by itself.
func onInterrupt(f func()) (remove func()) {
	cleanups.mu.Lock()
	defer cleanups.mu.Unlock()
	if cleanups.fns == nil {
		cleanups.fns = map[int]func(){}
	}
	id := cleanups.n
	cleanups.n++
	cleanups.fns[id] = f
	return func() {
		cleanups.mu.Lock()
		delete(cleanups.fns, id)
		cleanups.mu.Unlock()
	}
}

// tempDir makes a temporary directory that is removed by the returned
// function on a normal return and by the signal handler on an interrupt.
func tempDir(pattern string) (dir string, remove func(), err error) {
	dir, err = os.MkdirTemp("", pattern)
	if err != nil {
		return "", nil, err
	}
	unregister := onInterrupt(func() { os.RemoveAll(dir) })
	return dir, func() { os.RemoveAll(dir); unregister() }, nil
}

// runCleanups runs every registered cleanup (the lock stays held: the
// process is ending).
func runCleanups() {
	cleanups.mu.Lock()
	for _, f := range cleanups.fns {
		f()
	}
}

// handleInterrupts makes SIGINT and SIGTERM, at any stage of a run, remove
// every temporary output file (".NAME.tmp-N") before the program ends, then
// end it by the same signal (so a shell sees it as interrupted). Files
// already renamed into place are complete and stay. stop undoes it; after
// a signal it waits for the end instead, so that the run's own failure
// (a write refused once the temporary files are gone) is neither printed
// nor its exit status used.
func handleInterrupts() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			interrupted.Store(true)
			imageio.RemoveTemporaryFiles()
			runCleanups()
			fmt.Fprintf(os.Stderr, "gobragg: stopped by %v; no partial output file left\n", sig)
			signal.Reset(sig)
			if s, ok := sig.(syscall.Signal); ok {
				syscall.Kill(os.Getpid(), s)
				time.Sleep(time.Second) // the signal ends the process
				os.Exit(128 + int(s))
			}
			os.Exit(1)
		case <-done:
		}
	}()
	return func() {
		if interrupted.Load() {
			select {} // the handler ends the process
		}
		signal.Stop(ch)
		close(done)
	}
}

// quietOnInterrupt is the run's stderr: once a signal has arrived, writes
// wait for the end of the process instead of adding a second message.
type quietOnInterrupt struct{ w io.Writer }

func (q quietOnInterrupt) Write(b []byte) (int, error) {
	if interrupted.Load() {
		select {}
	}
	return q.w.Write(b)
}

// Unwrap is the stderr written to, for progress.Terminal.
func (q quietOnInterrupt) Unwrap() io.Writer { return q.w }
