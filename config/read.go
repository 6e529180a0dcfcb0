package config

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxFileSize is the largest configuration file Load reads.
const MaxFileSize = 1 << 20

// MaxPayloadSize is the largest event payload file ReadPayload reads; a
// larger one is refused, and its facts are unknown. GitHub's pull-request
// payloads are tens of KiB.
const MaxPayloadSize = 1 << 20

// ReadPayload reads the event payload file at path (a CI vendor's, such as
// GitHub's GITHUB_EVENT_PATH): a regular file of at most MaxPayloadSize
// bytes, opened without waiting, as a configuration file is. The front door
// reads it for the engine, which reads no file.
func ReadPayload(path string) ([]byte, error) { return readFile(path, MaxPayloadSize) }

// readFile reads a regular file of at most limit bytes (a whole number of
// MiB); a device or a pipe would never end, or never be a configuration.
// What was opened, without waiting (openRegular), is checked: a check of the
// name first would leave a window to swap in a named pipe, which waits for ever.
func readFile(path string, limit int) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, readError(err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("cannot read the file: larger than %d MiB", limit>>20)
	}
	return data, nil
}

// errNotRegular is the refusal of a directory, a pipe, a device or a socket.
const errNotRegular = sentinel("cannot read the file: not a regular file")

// readError words a file that cannot be read without repeating its path,
// and wraps the cause (fs.ErrNotExist for a missing file).
func readError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot read the file: %w", err)
}
