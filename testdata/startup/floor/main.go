// Command floor does, with the standard library alone, the least that any
// Detect must: it finds the working directory, looks there for
// multienv.toml and .git, and reads the variables that the embedded
// default's rules and first runtimes read. BenchmarkStartup runs it beside
// testdata/startup/detect, to show what of Detect's cost is a Go program's
// that touches the file system and the environment at all.
package main

import (
	"os"
	"path/filepath"
)

func main() {
	dir, err := os.Getwd()
	if err != nil {
		os.Exit(3)
	}
	for _, name := range []string{"multienv.toml", ".git"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			os.Exit(3)
		}
	}
	for _, v := range []string{"MULTIENV_CONFIG", "USER_RUNTIME_NAME", "CODEBUILD_BUILD_ID", "GITHUB_ACTION", "CI", "USER_ENV_NAME"} {
		if _, ok := os.LookupEnv(v); ok {
			os.Exit(1)
		}
	}
	os.Stdout.WriteString("sbx\n")
}
