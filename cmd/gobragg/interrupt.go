package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"gobragg/imageio"
)

// interrupted is set when SIGINT or SIGTERM has arrived: the process is
// about to end by that signal.
var interrupted atomic.Bool

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
