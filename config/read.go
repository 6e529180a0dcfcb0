package config

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxFileSize is the largest configuration file Load reads.
const MaxFileSize = 1 << 20

// readFile reads a regular file of at most MaxFileSize bytes; a device or a
// pipe would never end, or never be a configuration.
//
// The file is opened first and what was opened is checked after: a check
// of the name before opening it leaves a window in which the file can be
// swapped for a named pipe, whose opening waits for a writer for ever.
// openRegular opens without waiting (non-blocking on unix) and refuses
// anything but a regular file.
func readFile(path string) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, readError(err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("cannot read the file: larger than %d MiB", MaxFileSize>>20)
	}
	return data, nil
}

// errNotRegular is the refusal of a directory, a pipe, a device or a socket.
const errNotRegular = sentinel("cannot read the file: not a regular file")

// readError words a file that cannot be read without repeating its path,
// and wraps the cause (errors.Is(err, fs.ErrNotExist) holds for a missing
// file).
func readError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot read the file: %w", err)
}
