// Command testprogress reads `go test -json` events on stdin and prints a
// short live report: a line when each package starts and when it ends
// (ok or FAIL, with its time), every 20 s the packages still running, the
// full output of every failed test and package, and the output lines of
// passing tests that match -show (a regular expression), and a closing
// line "tests: N passed, N failed, N skipped". It exits 1 when
// anything failed. make test runs it.
//
//	go test -json ./... | go run ./internal/testprogress -show 'c-parity: [0-9]+ of'
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output events
	Test       string
	Elapsed    float64
	Output     string
}

// report accumulates what is printed.
type report struct {
	mu      sync.Mutex
	out     io.Writer
	show    *regexp.Regexp
	running map[string]time.Time // package -> start
	output  map[string][]string  // package/test -> output lines so far
	failed  bool
	// counts of tests (subtests included) by outcome, for the closing line
	passed, failedTests, skipped int
}

func main() {
	show := flag.String("show", "", "print output lines of passing tests that match this regular expression")
	flag.Parse()
	r := &report{out: os.Stdout, running: map[string]time.Time{}, output: map[string][]string{}}
	if *show != "" {
		re, err := regexp.Compile(*show)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testprogress: -show:", err)
			os.Exit(2)
		}
		r.show = re
	}
	stop := make(chan struct{})
	go r.heartbeat(stop, 20*time.Second)
	err := r.read(os.Stdin)
	close(stop)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(2)
	}
	// The plain closing line that CI and people read.
	fmt.Fprintf(r.out, "tests: %d passed, %d failed, %d skipped\n", r.passed, r.failedTests, r.skipped)
	if r.failed {
		fmt.Fprintln(r.out, "FAIL")
		os.Exit(1)
	}
}

// read handles every event of in.
func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not an event (go vet or the go command itself): pass it on.
			fmt.Fprintln(r.out, sc.Text())
			continue
		}
		r.handle(e)
	}
	return sc.Err()
}

func (r *report) handle(e event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Action == "build-output" {
		fmt.Fprint(r.out, e.Output)
		return
	}
	if e.Action == "build-fail" {
		r.failed = true
		return
	}
	pkg := e.Package
	if _, ok := r.running[pkg]; !ok && e.Action == "start" {
		r.running[pkg] = time.Now()
		fmt.Fprintf(r.out, "    testing %s\n", pkg)
	}
	key := pkg + " " + e.Test
	switch e.Action {
	case "output":
		r.output[key] = append(r.output[key], e.Output)
	case "pass", "skip":
		if e.Test != "" && e.Action == "pass" {
			r.passed++
		} else if e.Test != "" {
			r.skipped++
		}
		if r.show != nil {
			for _, l := range r.output[key] {
				if r.show.MatchString(l) {
					fmt.Fprint(r.out, l)
				}
			}
		}
		if e.Test == "" {
			r.packageDone(pkg, e)
		}
		delete(r.output, key)
	case "fail":
		r.failed = true
		if e.Test != "" {
			r.failedTests++
		}
		for _, l := range r.output[key] {
			fmt.Fprint(r.out, l)
		}
		delete(r.output, key)
		if e.Test == "" {
			r.packageDone(pkg, e)
		}
	}
}

// packageDone prints a package's result line.
func (r *report) packageDone(pkg string, e event) {
	delete(r.running, pkg)
	status := "ok  "
	if e.Action == "fail" {
		status = "FAIL"
	}
	fmt.Fprintf(r.out, "%s %-32s %6.1fs\n", status, pkg, e.Elapsed)
}

// heartbeat prints the packages still running every interval.
func (r *report) heartbeat(stop chan struct{}, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			r.mu.Lock()
			var names []string
			for p, start := range r.running {
				names = append(names, fmt.Sprintf("%s (%.0f s)", p, now.Sub(start).Seconds()))
			}
			sort.Strings(names)
			if len(names) > 0 {
				fmt.Fprintf(r.out, "    still running: %s\n", strings.Join(names, ", "))
			}
			r.mu.Unlock()
		}
	}
}
