package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"gobragg/graph"
)

// buildCommit is the commit make build passes with -ldflags -X, for
// checkouts where the go command records none (a git worktree).
var buildCommit string

// buildVCS reads the build information the go command records: the
// module version ("(devel)" when unset), the commit (buildCommit when the
// go command recorded none), its time and whether the tree had uncommitted
// changes; ok is false without build information.
func buildVCS() (info *debug.BuildInfo, version, rev, when string, modified, ok bool) {
	info, ok = debug.ReadBuildInfo()
	if !ok {
		return nil, "", "", "", false, false
	}
	version = info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return info, version, rev, when, modified, true
}

// versionText is what gobragg -version prints: the module version, the
// commit the binary was built from (with its time, and "modified" for
// uncommitted changes) and the Go version, from the build information the
// go command records (the commit only with VCS stamping: go build, not go
// run; make build turns it on).
func versionText() string {
	info, version, rev, when, modified, ok := buildVCS()
	if !ok {
		return fmt.Sprintf("gobragg (no build information) %s, %s\n", runtime.Version(), graph.KernelName())
	}
	commit := "commit unknown (built without VCS stamping; make build records it)"
	if rev == "" && buildCommit != "" {
		commit = "commit " + buildCommit
	}
	if rev != "" {
		mod := ""
		if modified {
			mod = ", modified"
		}
		commit = "commit " + rev + " (" + when + mod + ")"
	}
	return fmt.Sprintf("gobragg %s (module %s), %s, %s %s/%s, %s\n", version, info.Main.Path, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH, graph.KernelName())
}

// version is the short form of versionText that refine -out records: the
// module version, the commit and "(modified)" for uncommitted changes.
func version() string {
	_, v, rev, _, modified, ok := buildVCS()
	if !ok {
		return "unknown"
	}
	if rev == "" {
		rev = buildCommit
	}
	if rev != "" {
		v += " " + rev
	}
	if modified {
		v += " (modified)"
	}
	return v
}
