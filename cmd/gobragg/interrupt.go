package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"gobragg/imageio"
)

// handleInterrupts makes SIGINT and SIGTERM, at any stage of a run, remove
// every temporary output file (".NAME.tmp-N") before the program ends, then
// end it by the same signal (so a shell sees it as interrupted). Files
// already renamed into place are complete and stay. stop undoes it.
func handleInterrupts() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
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
		signal.Stop(ch)
		close(done)
	}
}
