package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReport feeds a recorded event stream: start and end lines per
// package, the failed test's output, the -show line of a passing test,
// build output, and the failure flag.
func TestReport(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"start","Package":"p/a"}`,
		`{"Action":"start","Package":"p/b"}`,
		`{"Action":"run","Package":"p/a","Test":"TestX"}`,
		`{"Action":"output","Package":"p/a","Test":"TestX","Output":"    x_test.go:1: c-parity: 58 of 58\n"}`,
		`{"Action":"output","Package":"p/a","Test":"TestX","Output":"    x_test.go:2: noise\n"}`,
		`{"Action":"pass","Package":"p/a","Test":"TestX","Elapsed":0.5}`,
		`{"Action":"pass","Package":"p/a","Elapsed":1.5}`,
		`{"Action":"output","Package":"p/b","Test":"TestY","Output":"    y_test.go:9: broken\n"}`,
		`{"Action":"fail","Package":"p/b","Test":"TestY","Elapsed":0.1}`,
		`{"Action":"fail","Package":"p/b","Elapsed":0.2}`,
		`{"Action":"build-output","ImportPath":"p/c","Output":"c.go:1: syntax error\n"}`,
		`not json from go vet`,
	}, "\n") + "\n"
	var out bytes.Buffer
	r := &report{out: &out, show: regexp.MustCompile(`c-parity: [0-9]+ of`), running: map[string]time.Time{}, output: map[string][]string{}}
	if err := r.read(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"    testing p/a\n", "    testing p/b\n", "c-parity: 58 of 58", "ok   p/a", "broken", "FAIL p/b", "syntax error", "not json from go vet"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "noise") {
		t.Errorf("report shows a passing test's other output:\n%s", got)
	}
	if !r.failed {
		t.Error("a failed test did not mark the run failed")
	}
	if r.passed != 1 || r.failedTests != 1 || r.skipped != 0 {
		t.Errorf("counted %d passed, %d failed, %d skipped tests; want 1, 1, 0", r.passed, r.failedTests, r.skipped)
	}
}
