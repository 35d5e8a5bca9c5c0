package sim

import (
	"errors"
	"strings"
	"testing"

	"gobragg/config"
)

// TestBudgetForce: a run above the work limit is refused before anything
// is rendered, naming the option and the estimate; -force lets it through
// (Prepare only, nothing is rendered here).
func TestBudgetForce(t *testing.T) {
	args := []string{"-cell", "100", "100", "100", "90", "90", "90", "-default_F", "1", "-detpixels", "1024", "-oversample", "400"}
	t.Chdir(t.TempDir())
	s, err := config.Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Prepare(s, Dirs{})
	var ue *config.UsageError
	if !errors.As(err, &ue) || ue.Option != "-oversample" || !strings.Contains(ue.Msg, "1.67772e+11 sub-pixel steps") || !strings.Contains(ue.Msg, "-force") {
		t.Fatalf("got %v, want -oversample refused with the estimate and -force", err)
	}
	s, err = config.Parse(append(args, "-force"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Prepare(s, Dirs{}); err != nil {
		t.Fatalf("with -force: %v", err)
	}
}

// TestCapOversample: C's recommendation is kept up to the cap, and above
// it the cap is used with one alert naming C's value.
func TestCapOversample(t *testing.T) {
	p := &Problem{}
	if got := p.capOversample(maxAutoOversample); got != maxAutoOversample || len(p.Alerts) != 0 {
		t.Errorf("at the cap: %d, alerts %q", got, p.Alerts)
	}
	if got := p.capOversample(2.4e16); got != maxAutoOversample || len(p.Alerts) != 1 || !strings.Contains(p.Alerts[0], "2.4e+16") {
		t.Errorf("above the cap: %d, alerts %q", got, p.Alerts)
	}
}
