//go:build !unix

package config

import "os"

// openRegular opens path for reading and refuses, and closes, anything but
// a regular file. Systems other than unix have no named pipes in the file
// system that an open would wait on.
func openRegular(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, readError(err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}

// OpenToAll reports whether dir is a directory that anyone may write in
// and that holds what many users put there; the permission bits of other
// systems do not say, so it is false.
func OpenToAll(dir string) bool { return false }
