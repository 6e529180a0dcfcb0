package main

import (
	"cmp"
	"runtime/debug"
)

// version and commit are stamped by a release build
// (-ldflags "-X main.version=v1.2.3 -X main.commit=SHA"); a build without
// them reads what the go command recorded in the binary.
var version, commit string

// buildVersion returns the version and commit resolver was built from:
// the stamped ones, else the build info's module version (go install of a
// tagged module) and vcs.revision, else "(devel)" and "unknown".
func buildVersion() (v, c string) {
	settings := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		v = info.Main.Version
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
	}
	revision := settings["vcs.revision"]
	if revision != "" && settings["vcs.modified"] == "true" {
		revision += "+modified"
	}
	return cmp.Or(version, v, "(devel)"), cmp.Or(commit, revision, "unknown")
}

// releaseVersion is the version alone, as the completion scripts name it.
func releaseVersion() string {
	v, _ := buildVersion()
	return v
}
