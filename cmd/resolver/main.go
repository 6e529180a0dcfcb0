// Command resolver tells which environment this process is in, and checks
// multienv configuration files.
//
// It is a thin layer over the multienv package: it finds the configuration,
// translates flags into calls and results into text, JSON and exit codes.
package main

import "os"

func main() {
	os.Exit(run(newInvocation()))
}
