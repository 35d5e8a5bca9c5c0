package sysmem

import (
	"os"
	"testing"
)

func TestAvailable(t *testing.T) {
	avail, total, ok := Available()
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		if ok {
			t.Fatalf("no /proc/meminfo, yet ok with %g of %g bytes", avail, total)
		}
		t.Skip("no /proc/meminfo")
	}
	if !ok || !(avail > 0) || avail > total {
		t.Fatalf("Available() = %g, %g, %v; want 0 < available <= total", avail, total, ok)
	}
}

func TestText(t *testing.T) {
	for _, c := range []struct {
		b    float64
		want string
	}{{5.58e10, "55.8 GB"}, {1e9, "1.0 GB"}, {2.5e8, "250 MB"}, {0, "0 MB"}} {
		if got := Text(c.b); got != c.want {
			t.Errorf("Text(%g) = %q, want %q", c.b, got, c.want)
		}
	}
}

// TestPeak: the peak covers a slice this test holds.
func TestPeak(t *testing.T) {
	before, ok := Peak()
	if !ok {
		t.Skip("no /proc/self/status on this system")
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	after, _ := Peak()
	if after < before || after < float64(len(buf)) {
		t.Errorf("peak %s after touching %d MB (before: %s)", Text(after), len(buf)>>20, Text(before))
	}
	_ = buf[len(buf)-1]
}
