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
func readFile(path string) ([]byte, error) {
	// Stat before Open: opening a named pipe would wait for a writer.
	st, err := os.Stat(path)
	if err != nil {
		return nil, errors.New(readMessage(err))
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("cannot read the file: not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New(readMessage(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, errors.New(readMessage(err))
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("cannot read the file: larger than %d MiB", MaxFileSize>>20)
	}
	return data, nil
}

// readMessage words a file that cannot be read without repeating its path.
func readMessage(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot read the file: " + err.Error()
}
