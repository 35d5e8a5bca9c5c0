package main

import (
	"os"
	"os/exec"
	"testing"
)

// asMainEnv, set in the environment, makes the test binary run gobragg's
// main with its arguments instead of the tests, so that tests can start
// gobragg as a real process (to signal it) without building it first.
const asMainEnv = "GOBRAGG_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(launchEnv) == "1" {
		os.Exit(launch(os.Args[1:]))
	}
	if os.Getenv(asMainEnv) == "1" {
		os.Args = append([]string{"gobragg"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// gobraggCommand returns an exec.Cmd that runs gobragg args in dir as a
// separate process.
func gobraggCommand(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	return cmd
}
