package inputlimit

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	ok := strings.Repeat("1 2 3 4\n", 1000)
	if got, err := Text(strings.NewReader(ok)); err != nil || string(got) != ok {
		t.Fatalf("ordinary text: %v", err)
	}
	for _, c := range []struct {
		name string
		r    io.Reader
		want string
	}{
		{"one long line", strings.NewReader(strings.Repeat("x", MaxLineBytes+1)), "line 1 is longer than"},
		{"long third line", strings.NewReader("a\nb\n" + strings.Repeat("x", MaxLineBytes+1) + "\n"), "line 3 is longer than"},
	} {
		_, err := Text(c.r)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want ErrTooLarge and %q", c.name, err, c.want)
		}
	}
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if f, err := os.Open(dev); err == nil {
			_, err := Text(f)
			f.Close()
			if !errors.Is(err, ErrNotText) {
				t.Errorf("%s: got %v, want ErrNotText", dev, err)
			}
		}
	}
	if _, err := Text(strings.NewReader("1 2 3 4\n5 6\x00 7 8\n")); err == nil || err.Error() != "not a text file: line 2 holds the byte 0x00" {
		t.Errorf("NUL on line 2: got %v", err)
	}
}

func TestExactly(t *testing.T) {
	for _, c := range []struct {
		data      string
		n         int64
		wantLen   int
		wantExtra bool
	}{{"abcd", 4, 4, false}, {"abc", 4, 3, false}, {"abcde", 4, 4, true}} {
		got, extra, err := Exactly(bytes.NewReader([]byte(c.data)), c.n)
		if err != nil || len(got) != c.wantLen || extra != c.wantExtra {
			t.Errorf("%q, %d: got %q extra %v err %v", c.data, c.n, got, extra, err)
		}
	}
}
