// Command linked links all that testdata/startup/detect does, and runs none
// of it: Detect is called only when the program is given six or more
// arguments, which BenchmarkStartup never does. Beside detect, it shows
// what of Detect's cost is the size of the program alone.
package main

import (
	"os"

	"github.com/multienv/multienv"
)

func main() {
	if len(os.Args) > 5 {
		if _, err := multienv.Detect(); err != nil {
			os.Exit(1)
		}
	}
}
