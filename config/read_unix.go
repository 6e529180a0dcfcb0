//go:build unix

package config

import (
	"os"
	"syscall"
)

// openRegular opens path for reading without blocking: a named pipe opened
// non-blocking returns at once instead of waiting for a writer. What was
// opened is then checked, so no swap between a check and the open can make
// it wait. A regular file is read in blocking mode, as usual.
func openRegular(path string) (*os.File, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, readError(err)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, readError(err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, errNotRegular
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, readError(err)
	}
	return os.NewFile(uintptr(fd), path), nil
}
