// Command detect is a service's start-up and nothing else: it imports
// multienv and calls Detect. BenchmarkStartup runs it against
// testdata/startup/empty.
package main

import (
	"os"

	"github.com/multienv/multienv"
)

func main() {
	if _, err := multienv.Detect(); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
}
