package main

import (
	"cmp"
	"runtime/debug"
	"strings"
)

// version and commit are stamped by a release build
// (-ldflags "-X main.version=v1.2.3 -X main.commit=SHA"); a build without
// them reads what the go command recorded in the binary.
var (
	version string
	commit  string
)

// buildVersion returns the version and the commit resolver was built
// from: the stamped ones, else the module version and vcs.revision of the
// build info (a binary built by go install of a tagged module, or in a git
// clone), else "(devel)" and "unknown".
func buildVersion() (v, c string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = &debug.BuildInfo{}
	}
	revision := setting(info, "vcs.revision")
	if revision != "" && setting(info, "vcs.modified") == "true" {
		revision += "+modified"
	}
	return cmp.Or(version, info.Main.Version, "(devel)"), cmp.Or(commit, revision, "unknown")
}

func setting(info *debug.BuildInfo, key string) string {
	for _, s := range info.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// versionLine is what --version prints: resolver VERSION (commit COMMIT).
func versionLine() string {
	v, c := buildVersion()
	return "resolver " + strings.TrimSpace(v) + " (commit " + strings.TrimSpace(c) + ")"
}

// releaseVersion is the version alone, as the completion scripts name it.
func releaseVersion() string {
	v, _ := buildVersion()
	return v
}
