//go:build unix

package config

import (
	"os"
	"syscall"
)

// openRegular opens path without blocking, as a named pipe would wait for a
// writer, checks that what it opened is a regular file, then reads it in
// blocking mode, as usual.
func openRegular(path string) (*os.File, error) {
	const flags = syscall.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY | syscall.O_CLOEXEC
	fd, err := syscall.Open(path, flags, 0)
	for err == syscall.EINTR {
		fd, err = syscall.Open(path, flags, 0)
	}
	if err != nil {
		return nil, readError(err)
	}
	var st syscall.Stat_t
	err = syscall.Fstat(fd, &st)
	if err == nil && st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, errNotRegular
	}
	if err == nil {
		err = syscall.SetNonblock(fd, false)
	}
	if err != nil {
		syscall.Close(fd)
		return nil, readError(err)
	}
	return os.NewFile(uintptr(fd), path), nil
}

// OpenToAll reports whether dir is a directory that anyone may write in and
// that holds what many users put there, as /tmp and /dev/shm do (the
// sticky bit set): what lies there may be a stranger's.
func OpenToAll(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir() && st.Mode().Perm()&0o002 != 0 && st.Mode()&os.ModeSticky != 0
}
