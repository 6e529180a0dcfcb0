//go:build unix

package multienv_test

import (
	"os"
	"syscall"
)

// minorFaults is how many pages the process touched for the first time
// (minor page faults): on a virtual machine they are most of a short
// process's cost, and unlike time they hardly vary from run to run.
func minorFaults(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return int64(ru.Minflt), true
}
