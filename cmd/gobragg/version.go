package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildCommit is the commit make build passes with -ldflags -X, for
// checkouts where the go command records none (a git worktree).
var buildCommit string

// versionText is what gobragg -version prints: the module version, the
// commit the binary was built from (with its time, and "modified" for
// uncommitted changes) and the Go version, from the build information the
// go command records (the commit only with VCS stamping: go build, not go
// run; make build turns it on).
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Sprintf("gobragg (no build information) %s\n", runtime.Version())
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	commit := "commit unknown (built without VCS stamping; make build records it)"
	if rev == "" && buildCommit != "" {
		commit = "commit " + buildCommit
	}
	if rev != "" {
		commit = "commit " + rev + " (" + when + modified + ")"
	}
	return fmt.Sprintf("gobragg %s (module %s), %s, %s %s/%s\n", version, info.Main.Path, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
