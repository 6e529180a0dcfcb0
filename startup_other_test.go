//go:build !unix

package multienv_test

import "os"

// minorFaults is not known here.
func minorFaults(*os.ProcessState) (int64, bool) { return 0, false }
