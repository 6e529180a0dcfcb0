//go:build unix

package config

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadNamedPipe: a pipe is refused without being opened, which would
// wait for a writer for ever.
func TestLoadNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "multienv.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("got %v; want a not-a-regular-file problem", err)
	}
}
